using System.Collections.Concurrent;
using System.Security.Cryptography;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Cli;

namespace Pipeline.Host.Demo;

/// <summary>
/// Until the TorchSharp fine-tuning worker lands (issue 3), `finetune` demonstrates the governed event flow on the
/// in-memory bus: each epoch's EpochCompleted and CheckpointSaved go to the real consumers and plugins, and their
/// EpochScored, StopTraining and SetRegularisation come back into runs/&lt;run-id&gt;/report.json. The losses and
/// checkpoint files are synthetic, and the report says so.
/// </summary>
public static class EventFlowDemo
{
    public static async Task<(string ReportPath, object Report)> RunAsync(IHost host, string runsDirectory, int epochs, CancellationToken cancellationToken)
    {
        var bus = host.Services.GetRequiredService<IBus>();
        var runId = NewId.NextGuid();
        var scored = new ConcurrentDictionary<int, EpochScored>();
        var stops = new ConcurrentQueue<StopTraining>();
        var arrived = new SemaphoreSlim(0);
        var handle = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance, endpoint =>
        {
            endpoint.Handler<EpochScored>(c =>
            {
                if (c.Message.RunId == runId && scored.TryAdd(c.Message.Epoch, c.Message)) arrived.Release();
                return Task.CompletedTask;
            });
            endpoint.Handler<StopTraining>(c =>
            {
                if (c.Message.RunId == runId) stops.Enqueue(c.Message);
                return Task.CompletedTask;
            });
        });
        await handle.Ready.WaitAsync(cancellationToken);

        var runDirectory = Path.Combine(runsDirectory, runId.ToString("D"));
        Directory.CreateDirectory(Path.Combine(runDirectory, "checkpoints"));
        for (var epoch = 1; epoch <= epochs && stops.IsEmpty; epoch++)
        {
            // Synthetic curve: training loss falls steadily, validation loss turns up after epoch 3 (overfitting).
            var trainLoss = 3.0 * Math.Exp(-0.45 * epoch);
            var valLoss = 2.2 - 0.35 * Math.Min(epoch, 3) + 0.12 * Math.Max(0, epoch - 3);
            var checkpoint = WriteDemoCheckpoint(runDirectory, epoch);
            CliOutput.Progress($"finetune (demo): epoch {epoch}/{epochs} train_loss {trainLoss:0.000} val_loss {valLoss:0.000}");
            await bus.Publish(new EpochCompleted(runId, epoch, checkpoint, trainLoss, valLoss, "demo", "demo", DateTimeOffset.UtcNow), cancellationToken);
            await bus.Publish(new CheckpointSaved(runId, epoch, checkpoint, "epoch", DateTimeOffset.UtcNow), cancellationToken);
            if (!await arrived.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken))
                throw new TimeoutException($"epoch {epoch} was not scored within 5 minutes");
        }

        var stop = stops.TryPeek(out var s) ? s : null;
        var report = new
        {
            RunId = runId,
            Demonstration = "synthetic losses and checkpoints: the TorchSharp fine-tuning worker lands with issue 3",
            BaseModel = "demo",
            Dataset = "demo",
            Epochs = scored.Values.OrderBy(e => e.Epoch).Select(e => new Dictionary<string, object>(e.Metrics.Select(m => KeyValuePair.Create(m.Key, (object)m.Value)))
            {
                ["epoch"] = e.Epoch,
                ["scorers"] = e.Scorers,
            }).ToList(),
            StoppedAtEpoch = stop?.Epoch,
            StopReason = stop is null ? null : $"{stop.DecidedBy}: {stop.Reason}",
        };
        var reportPath = Path.Combine(runDirectory, "report.json");
        var temporary = reportPath + ".tmp";
        await File.WriteAllTextAsync(temporary, System.Text.Json.JsonSerializer.Serialize(report, CliOutput.Json), cancellationToken);
        File.Move(temporary, reportPath, overwrite: true);
        return (reportPath, report);
    }

    private static CheckpointReference WriteDemoCheckpoint(string runDirectory, int epoch)
    {
        var path = Path.Combine(runDirectory, "checkpoints", $"epoch-{epoch}.demo");
        var bytes = RandomNumberGenerator.GetBytes(4096);
        File.WriteAllBytes(path, bytes);
        return new CheckpointReference(Path.GetFullPath(path), Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
