namespace Pipeline.Contracts.Runs;

/// <summary>
/// Where an epoch interrupted at a step boundary stands: the steps done and the running sums its result is made of,
/// so that, with the trainer's saved state, the epoch goes on from the next step and ends with the result it would
/// have had uninterrupted (the batches of an epoch depend only on the seed and the epoch).
/// </summary>
public sealed record EpochPart(int Epoch, int StepsDone, double LossSum, double TermSum, long Tokens, IReadOnlyList<double> StepLosses,
    double Seconds, double LearningRate);
