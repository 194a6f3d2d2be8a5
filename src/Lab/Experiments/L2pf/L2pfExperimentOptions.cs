using Pipeline.Modelling.Compression.Filters;
using Pipeline.Modelling.Vision;

namespace Pipeline.Lab.Experiments.L2pf;

/// <summary>
/// The L2PF experiment's budgets. The full run trains ResNet20 on all of Fashion-MNIST; <see cref="Quick"/> trains on
/// a sample and gives the agents fewer episodes and steps, to fit in 15 minutes on a 2-core machine.
/// </summary>
public sealed record L2pfExperimentOptions
{
    public string ImageSet { get; init; } = "fashion-mnist";
    public int TrainEpochs { get; init; } = 8;
    public ClassifierTrainingOptions Training { get; init; } = new() { LearningRate = 0.05, BatchSize = 128 };
    public CnnCompressionSizes Sizes { get; init; } = new();
    public FilterPruningOptions Pruning { get; init; } = new() { FinalSteps = 120 };
    public IReadOnlyList<string> Methods { get; init; } = FilterPruningMethod.Names;
    public int Seed { get; init; } = 1;
    /// <summary>A trained ResNet checkpoint to prune instead of training one.</summary>
    public string? Baseline { get; init; }

    public static L2pfExperimentOptions Quick { get; } = new()
    {
        TrainEpochs = 5,
        Sizes = new CnnCompressionSizes(TrainImages: 10_000, RewardImages: 500, TestImages: 2_000),
        Pruning = new FilterPruningOptions { Episodes = 10, Samples = 6, FineTuneSteps = 30, FinalSteps = 60 },
    };

    public void Validate()
    {
        if (TrainEpochs < 1)
            throw new ArgumentException("--epochs must be at least 1");
        Sizes.Validate();
        Pruning.Validate();
        foreach (var method in Methods)
            if (!FilterPruningMethod.Is(method))
                throw new ArgumentException($"unknown method \"{method}\" (known: {string.Join(", ", FilterPruningMethod.Names)})");
    }
}
