using Pipeline.Contracts.Messages;

namespace Pipeline.Host.Tests.Support;

public static class Messages
{
    public static readonly CheckpointReference Checkpoint = new("/tmp/checkpoints/epoch", new string('b', 64));

    public static EpochCompleted Epoch(Guid runId, int epoch, double trainLoss = 2.0, double valLoss = 2.5) =>
        new(runId, epoch, Checkpoint, trainLoss, valLoss, "base", "fortunes", DateTimeOffset.UtcNow);

    /// <summary>An erasure request signed by the test publisher; change it with `with` and it must be signed again (<see cref="TestPublisher.Sign"/>).</summary>
    public static UnlearnRequested Unlearn(string subject = "subject-1", Guid? requestId = null) =>
        TestPublisher.Sign(new(requestId ?? Guid.NewGuid(), subject, "dataset", ["r1", "r2", "r3"], "test", DateTimeOffset.UtcNow));
}
