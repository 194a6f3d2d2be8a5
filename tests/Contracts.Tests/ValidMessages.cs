using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Tests;

/// <summary>One well-formed instance of each message; tests break one field at a time.</summary>
public static class ValidMessages
{
    public static readonly CheckpointReference Checkpoint = new("/data/checkpoints/run/epoch-1", new string('a', 64));

    public static EpochCompleted EpochCompleted() =>
        new(Guid.NewGuid(), 1, Checkpoint, 2.5, 2.7, "pythia-14m", "support-tickets", DateTimeOffset.UtcNow);

    public static CheckpointSaved CheckpointSaved() => new(Guid.NewGuid(), 1, Checkpoint, "best", DateTimeOffset.UtcNow);

    public static UnlearnRequested UnlearnRequested() =>
        new(Guid.NewGuid(), "subject-42", "support-tickets", ["r1", "r2"], "GDPR Art. 17", DateTimeOffset.UtcNow);

    public static EpochScored EpochScored() =>
        new(Guid.NewGuid(), 1, new Dictionary<string, double> { ["ngram_score"] = 0.2 }, ["memorisation"], DateTimeOffset.UtcNow);

    public static CheckpointCompressed CheckpointCompressed() =>
        new(Guid.NewGuid(), Checkpoint, Checkpoint with { Path = "/c/int8" }, "int8", "compression", 1000, 3.9,
            new Dictionary<string, double>(), DateTimeOffset.UtcNow);

    public static UnlearningCompleted UnlearningCompleted() =>
        new(Guid.NewGuid(), "subj_abc", "eupg", new Dictionary<string, double> { ["mia_auc"] = 0.5 }, "node-1", DateTimeOffset.UtcNow);

    public static UnlearningRejected UnlearningRejected() => new(Guid.NewGuid(), "subj_abc", "no forgetter installed", "node-1", DateTimeOffset.UtcNow);

    public static StartFineTune StartFineTune() => new(Guid.NewGuid(), "pythia-14m", "sotu", 5, 1e-4, 7, "ngram", 0.1, DateTimeOffset.UtcNow);

    public static StopTraining StopTraining() => new(Guid.NewGuid(), 3, "n-gram score rising", "early-stopping", DateTimeOffset.UtcNow);

    public static SetRegularisation SetRegularisation() => new(Guid.NewGuid(), 0.3, 4, "excess grew", "lambda-tuner", DateTimeOffset.UtcNow);
}
