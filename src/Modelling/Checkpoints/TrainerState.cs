namespace Pipeline.Modelling.Checkpoints;

/// <summary>
/// The trainer's position in its run, saved as trainer.json. The scheduler is a pure function of the step, so the
/// step restores it; the epoch's shuffle is drawn from Random(seed + epoch), so the seed and the epochs completed
/// restore the data order.
/// </summary>
public sealed record TrainerState(long Step, int EpochsCompleted, int Seed, double Lambda, long TotalSteps);
