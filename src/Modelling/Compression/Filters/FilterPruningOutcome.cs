using Pipeline.Modelling.Vision;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>What pruning one group did: its filters before and after, the reward-image accuracy before, right after pruning and after fine-tuning (null where a method does not measure them), and the time it took.</summary>
public sealed record LayerDecision(string Group, int Filters, int Kept, double? AccuracyBefore, double? AccuracyPruned, double? AccuracyAfter,
    int Episodes, int Evaluations, int FineTuneSteps, double AgentSeconds, double FineTuneSeconds);

/// <summary>The pruned network (the caller owns it) and the account of how it was reached.</summary>
public sealed record FilterPruningOutcome(string Method, ResNet Model, IReadOnlyList<LayerDecision> Layers, double Seconds, double AgentSeconds,
    double FineTuneSeconds, int FineTuneSteps);

/// <summary>The images a pruner works with: training images to fine-tune on, and held-out reward images its agents score choices on.</summary>
public sealed record FilterPruningData(ImageTensors Train, ImageTensors Reward);
