using Pipeline.Host.Tests.Support;
using Pipeline.Node.Erasure;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Hosting;

namespace Pipeline.Host.Tests.Broker;

/// <summary>
/// A node killed after the ledger recorded an erasure's outcome but before it published it: when it starts again it
/// publishes that outcome, built from the ledger, under the outcome's own MessageId — and an outcome it had already
/// published is not published again.
/// </summary>
public sealed class ErasureAnnouncementTests : BrokerTest
{
    [Fact]
    public async Task An_outcome_recorded_but_not_published_before_a_crash_is_published_once_when_the_node_starts_again()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["Node:Name"] = "node-1",
            ["Ledger:Path"] = Path.Combine(Path.GetDirectoryName(PluginDirectory)!, "ledger.db"),
        };
        var ledger = new SqliteErasureLedger(settings["Ledger:Path"]!);
        // What node-1 leaves when killed between ledger.Complete / ledger.Reject and the publish, beside one it had announced.
        var completed = Ended(ledger, "a");
        var rejected = Ended(ledger, "b", rejectedFor: "subject refused by the test forgetter");
        var announced = Ended(ledger, "c");
        ledger.MarkAnnounced(announced);
        await using var observer = await TestHost.StartAsync(PluginDirectory, Settings, HostRole.Client);
        var recorder = await OutcomeRecorder.StartAsync(observer.Bus);

        await using (await TestHost.StartAsync(PluginDirectory, settings))
        {
            // A request behind the restart: once its outcome is in, those announced at start-up are too.
            var fence = Messages.Unlearn("fence");
            await observer.Bus.Publish(fence);
            Assert.True(await Eventually.TrueAsync(() => recorder.Outcomes.Any(o => o.RequestId == fence.RequestId), TimeSpan.FromMinutes(1)),
                "the request behind the restart was never answered");
        }

        var done = Assert.Single(recorder.Outcomes, o => o.RequestId == completed);
        Assert.Equal(new OutcomeRecorder.Outcome(completed, true, null, "recording-forgetter", "forgotten", "records_forgotten=3", "node-1",
            ledger.Find(completed)!.UpdatedAt, OutcomeMessageId.Of(completed)), done); // the recorded outcome, not a new one
        var refusal = Assert.Single(recorder.Outcomes, o => o.RequestId == rejected);
        Assert.Equal(("subject refused by the test forgetter", OutcomeMessageId.Of(rejected)), (refusal.Reason, refusal.MessageId));
        Assert.DoesNotContain(recorder.Outcomes, o => o.RequestId == announced);
        Assert.Empty(ledger.Unannounced("node-1"));
    }

    /// <summary>An erasure received, run and ended by node-1 in the ledger, as the erasure processor records it.</summary>
    private static Guid Ended(SqliteErasureLedger ledger, string subject, string? rejectedFor = null)
    {
        var request = Messages.Unlearn(subject);
        ledger.RecordReceived(request, $"subj_{subject}", "node-1");
        Assert.NotNull(ledger.TryClaim(request.RequestId, "node-1"));
        if (rejectedFor is null)
            ledger.Complete(request.RequestId, "recording-forgetter", new Dictionary<string, double> { ["records_forgotten"] = 3 }, "node-1", "forgotten");
        else
            ledger.Reject(request.RequestId, rejectedFor, "node-1");
        return request.RequestId;
    }
}
