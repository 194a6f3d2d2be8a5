using System.Text.Json.Serialization;
using Pipeline.Modelling.Compression.Filters;

namespace Pipeline.Lab.Experiments.L2pf;

/// <summary>What `pipeline experiment l2pf` found: each method on the same ResNet20 baseline.</summary>
public sealed record L2pfReport(
    IReadOnlyDictionary<string, L2pfMethodFigures> Methods,
    L2pfBaseline Baseline,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonPropertyName("l2pf_time_saving")] double? L2pfTimeSaving,
    L2pfExperimentOptions Settings,
    string Machine,
    double Seconds);

/// <summary>The trained (or given) ResNet20: its size and accuracy; training seconds when this run trained it.</summary>
public sealed record L2pfBaseline(string Checkpoint, long? Parameters, long? Flops, double? Accuracy, double? TrainingSeconds);

/// <summary>One pruning method: compression, accuracy before and after, time spent, the widths it left.</summary>
public sealed record L2pfMethodFigures(
    double ParamCompression,
    double FlopCompression,
    double AccuracyBefore,
    double AccuracyAfter,
    double PruningSeconds,
    double ImagesPerSecondBefore,
    double ImagesPerSecondAfter,
    double AgentSeconds,
    [property: JsonPropertyName("finetune_seconds")] double FineTuneSeconds,
    [property: JsonPropertyName("finetune_steps")] int FineTuneSteps,
    long Parameters,
    long Flops,
    IReadOnlyList<int> StageWidths,
    IReadOnlyList<int> BlockWidths,
    string Checkpoint,
    IReadOnlyList<LayerDecision> Layers);
