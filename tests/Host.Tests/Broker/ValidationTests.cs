using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Node.Bus;

namespace Pipeline.Host.Tests.Broker;

public sealed class ValidationTests : BrokerTest
{
    [Fact]
    public async Task An_invalid_message_lands_in_the_error_queue_with_its_reasons_and_is_not_retried()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync();
        var invalid = Messages.Epoch(Guid.Empty, 0, trainLoss: -1);

        await host.Bus.Publish(invalid);
        var faulted = await ErrorQueue.TakeAsync(VirtualHost, "epoch-completed_error");

        Assert.Contains("'Run Id' must be a non-empty GUID.", faulted.Headers["MT-Fault-Message"]);
        Assert.Contains("Epoch", faulted.Headers["MT-Fault-Message"]);
        Assert.Contains("'Train Loss' must be greater than or equal to '0'.", faulted.Headers["MT-Fault-Message"]);
        Assert.Equal(typeof(MessageValidationException).FullName, faulted.Headers["MT-Fault-ExceptionType"]);
        Assert.True(!faulted.Headers.TryGetValue("MT-Fault-RetryCount", out var retries) || retries == "0", $"retried {retries} times");
        Assert.Equal(1, host.Services.GetRequiredService<MessageCounters>().RejectedCount(nameof(EpochCompleted)));
        Assert.Empty(host.Observed<EpochScored>()); // no scorer saw it
    }

    [Fact]
    public async Task A_valid_message_after_an_invalid_one_is_handled_normally()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync();
        var runId = Guid.NewGuid();

        await host.Bus.Publish(Messages.Epoch(runId, 1) with { Checkpoint = Messages.Checkpoint with { Sha256 = "nope" } });
        await host.Bus.Publish(Messages.Epoch(runId, 2));

        var scored = await host.WaitForAsync<EpochScored>(s => s.RunId == runId);
        Assert.Equal(2, scored.Epoch);
        var faulted = await ErrorQueue.TakeAsync(VirtualHost, "epoch-completed_error");
        Assert.Contains("Sha256", faulted.Headers["MT-Fault-Message"]);
    }
}
