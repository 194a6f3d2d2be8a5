using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;

namespace Pipeline.TestPlugins;

/// <summary>Echoes the epoch and the checkpoint hash it was given.</summary>
public sealed class RecordingScorer : IEpochScorer
{
    public string Name => "recording-scorer";

    public Task<IReadOnlyDictionary<string, double>> ScoreAsync(EpochCompleted epoch, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>
        {
            ["recorded_epoch"] = epoch.Epoch,
            ["recorded_loss_sum"] = epoch.TrainLoss + epoch.ValLoss,
        };
        return Task.FromResult(metrics);
    }
}
