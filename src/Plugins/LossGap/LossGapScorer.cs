using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;

namespace Pipeline.Plugins.LossGap;

/// <summary>
/// Sample scorer: the generalisation gap. A validation loss pulling away from the training loss is the
/// classic (late) sign of overfitting; the memorisation scorers look for the earlier signs.
/// </summary>
public sealed class LossGapScorer : IEpochScorer
{
    public string Name => "loss-gap";

    public Task<IReadOnlyDictionary<string, double>> ScoreAsync(EpochCompleted epoch, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>
        {
            ["loss_gap"] = epoch.ValLoss - epoch.TrainLoss,
            ["loss_ratio"] = epoch.TrainLoss > 0 ? epoch.ValLoss / epoch.TrainLoss : 0.0,
        };
        return Task.FromResult(metrics);
    }
}
