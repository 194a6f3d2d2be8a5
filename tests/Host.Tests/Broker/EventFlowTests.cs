using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Node.Erasure;
using Pipeline.Node.Erasure.Ledger;

namespace Pipeline.Host.Tests.Broker;

/// <summary>Each event type, published on the real broker, reaches its consumer and the plugins of its role.</summary>
public sealed class EventFlowTests : BrokerTest
{
    [Fact]
    public async Task Epoch_completed_reaches_every_scorer_and_scored_epochs_reach_the_training_policy()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync();
        var runId = Guid.NewGuid();

        await host.Bus.Publish(Messages.Epoch(runId, 1, trainLoss: 1.5, valLoss: 2.0));
        var scored = await host.WaitForAsync<EpochScored>(s => s.RunId == runId && s.Epoch == 1);
        Assert.Equal(1, scored.Metrics["recorded_epoch"]);
        Assert.Equal(3.5, scored.Metrics["recorded_loss_sum"], 6);
        Assert.Equal(1.5, scored.Metrics["train_loss"]);
        Assert.Contains("recording-scorer", scored.Scorers);
        Assert.Contains("flaky-scorer", scored.Scorers);

        // The policy raises lambda after epochs 1 and 2, then stops at 3.
        var regularised = await host.WaitForAsync<SetRegularisation>(s => s.RunId == runId && s.FromEpoch == 2);
        Assert.Equal(0.1, regularised.Lambda, 6);
        Assert.Equal("stop-at-three", regularised.DecidedBy);
        var review = await host.WaitForAsync<EpochReviewed>(r => r.RunId == runId && r.Epoch == 1);
        Assert.False(review.Stop);
        Assert.Equal(0.1, review.Lambda!.Value, 6);
        Assert.Equal(["stop-at-three"], review.Policies);

        await host.Bus.Publish(Messages.Epoch(runId, 2));
        var second = await host.WaitForAsync<SetRegularisation>(s => s.RunId == runId && s.FromEpoch == 3);
        Assert.Equal(0.2, second.Lambda, 6);

        await host.Bus.Publish(Messages.Epoch(runId, 3));
        var stop = await host.WaitForAsync<StopTraining>(s => s.RunId == runId);
        Assert.Equal(3, stop.Epoch);
        Assert.Contains("3 scored epochs", stop.Reason);
        var last = await host.WaitForAsync<EpochReviewed>(r => r.RunId == runId && r.Epoch == 3);
        Assert.True(last.Stop);
        Assert.StartsWith("stop-at-three: epoch 3 reached", last.StopReason);
    }

    [Fact]
    public async Task Checkpoint_saved_reaches_the_compressor_which_publishes_the_compressed_checkpoint()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync();
        var runId = Guid.NewGuid();

        await host.Bus.Publish(new CheckpointSaved(runId, 4, Messages.Checkpoint, "best", DateTimeOffset.UtcNow));
        var compressed = await host.WaitForAsync<CheckpointCompressed>(c => c.RunId == runId);
        Assert.Equal("recording-compressor", compressed.Compressor);
        Assert.Equal(Messages.Checkpoint.Path + ".int8", compressed.Compressed.Path);
        Assert.Equal(4.0, compressed.Ratio, 6);
        Assert.Equal(4, compressed.Metrics["source_epoch"]);
    }

    [Fact]
    public async Task Unlearn_requested_is_carried_out_by_the_forgetter_and_every_stage_is_in_the_ledger()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync();
        var request = Messages.Unlearn("alice@example.com");

        await host.Bus.Publish(request);
        var completed = await host.WaitForAsync<UnlearningCompleted>(c => c.RequestId == request.RequestId);
        Assert.Equal("recording-forgetter", completed.Forgetter);
        Assert.Equal(3, completed.Evidence["records_forgotten"]);
        Assert.DoesNotContain("alice", completed.SubjectHash);

        var record = host.Services.GetRequiredService<IErasureLedger>().Find(request.RequestId)!;
        Assert.Equal(ErasureState.Completed, record.State);
        Assert.Equal(
            [ErasureState.Received, ErasureState.DataRemoved, ErasureState.ModelUnlearned, ErasureState.Verified, ErasureState.Completed],
            record.Transitions.Select(t => t.State));
    }

    [Fact]
    public async Task Without_a_forgetter_the_request_is_rejected_and_audited_as_such()
    {
        await using var host = await StartHostAsync();
        var request = Messages.Unlearn();

        await host.Bus.Publish(request);
        var rejected = await host.WaitForAsync<UnlearningRejected>(r => r.RequestId == request.RequestId);
        Assert.Equal(ErasureProcessor.NoForgetterReason, rejected.Reason);
        var record = host.Services.GetRequiredService<IErasureLedger>().Find(request.RequestId)!;
        Assert.Equal(ErasureState.Rejected, record.State);
        Assert.Equal(ErasureProcessor.NoForgetterReason, record.Reason);
    }

    [Fact]
    public async Task A_forgetter_that_refuses_gets_the_request_rejected_with_its_reason()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync();
        var request = Messages.Unlearn("refuse-me");

        await host.Bus.Publish(request);
        var rejected = await host.WaitForAsync<UnlearningRejected>(r => r.RequestId == request.RequestId);
        Assert.Equal("subject refused by the test forgetter", rejected.Reason);
    }

    [Fact]
    public async Task A_forgetter_that_echoes_the_subject_id_in_its_texts_has_it_replaced_by_the_hash_in_events_and_ledger()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync();
        var refused = Messages.Unlearn("echo-refuse:jane.doe@example.com");
        var done = Messages.Unlearn("echo-done:jane.doe@example.com");

        await host.Bus.Publish(refused);
        await host.Bus.Publish(done);
        var rejected = await host.WaitForAsync<UnlearningRejected>(r => r.RequestId == refused.RequestId);
        var completed = await host.WaitForAsync<UnlearningCompleted>(c => c.RequestId == done.RequestId);

        var ledger = host.Services.GetRequiredService<IErasureLedger>();
        Assert.Equal($"no records of {rejected.SubjectHash} in dataset", rejected.Reason);
        Assert.Equal($"forgot {completed.SubjectHash}", completed.Summary); // the forgetter upper-cased it: matched regardless of case
        Assert.Contains(rejected.SubjectHash, ledger.Find(refused.RequestId)!.Reason);
        foreach (var record in new[] { ledger.Find(refused.RequestId)!, ledger.Find(done.RequestId)! })
            Assert.DoesNotContain("jane.doe", System.Text.Json.JsonSerializer.Serialize(record), StringComparison.OrdinalIgnoreCase);
    }
}
