using Pipeline.Modelling.Vision;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>
/// The budgets and knobs of the filter pruners; the same for all three methods where they share a step, so their times
/// compare. Defaults are the full experiment's; <c>experiment l2pf --quick</c> and <c>compress</c> scale them down.
/// </summary>
public sealed record FilterPruningOptions
{
    /// <summary>b, the accuracy drop (on the reward images, before fine-tuning) a layer's pruning may cost.</summary>
    public double AllowedDrop { get; init; } = 0.15;
    /// <summary>Most REINFORCE episodes per layer.</summary>
    public int Episodes { get; init; } = 20;
    /// <summary>Fewest episodes per layer before the greedy choice may be taken as settled.</summary>
    public int MinEpisodes { get; init; } = 4;
    /// <summary>
    /// A layer's training stops once the policy is this sure on average: the mean over filters of min(p, 1 − p) falls
    /// below it (0.1: on average a filter is kept or dropped with 90% certainty).
    /// </summary>
    public double SettledUncertainty { get; init; } = 0.1;
    /// <summary>Where a fresh policy starts: each filter kept with this probability, so early samples drop a few filters, not half.</summary>
    public double InitialKeepProbability { get; init; } = 0.8;
    /// <summary>Samples (tried choices) per episode.</summary>
    public int Samples { get; init; } = 6;
    public double AgentLearningRate { get; init; } = 0.3;
    /// <summary>Try-and-learn's fixed fine-tuning after each layer, and L2PF's most (D); in optimiser steps.</summary>
    public int FineTuneSteps { get; init; } = 60;
    /// <summary>κ: what L2PF's reward charges for fine-tuning the whole D.</summary>
    public double ComputeWeight { get; init; } = 0.5;
    /// <summary>The learning rate of L2PF's duration policy (one update per layer).</summary>
    public double DurationLearningRate { get; init; } = 0.5;
    /// <summary>The spread of L2PF's duration policy (a share of D).</summary>
    public double DurationSpread { get; init; } = 0.15;
    /// <summary>Uniform L1-norm pruning keeps this share of every group's filters.</summary>
    public double UniformKeep { get; init; } = 0.58;
    /// <summary>Fine-tuning after the last layer, the same for every method (0: none).</summary>
    public int FinalSteps { get; init; } = 0;
    public ClassifierTrainingOptions FineTune { get; init; } = new() { LearningRate = 0.005, Cosine = false };
    public int Seed { get; init; } = 1;

    public void Validate()
    {
        if (AllowedDrop <= 0 || AllowedDrop >= 1)
            throw new ArgumentException("the allowed accuracy drop must be between 0 and 1");
        if (Episodes < 1 || Samples < 2 || MinEpisodes < 1)
            throw new ArgumentException("the agents need at least one episode of two samples");
        if (FineTuneSteps < 0 || FinalSteps < 0)
            throw new ArgumentException("fine-tuning steps cannot be negative");
        if (InitialKeepProbability <= 0 || InitialKeepProbability >= 1 || SettledUncertainty <= 0 || SettledUncertainty >= 0.5)
            throw new ArgumentException("the initial keep probability must be in (0, 1) and the settled uncertainty in (0, 0.5)");
        if (UniformKeep <= 0 || UniformKeep > 1)
            throw new ArgumentException("the uniform keep share must be in (0, 1]");
    }
}
