using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;

namespace Pipeline.TestPlugins;

public sealed class SlowScorer : IEpochScorer
{
    public string Name => "slow-scorer";

    public async Task<IReadOnlyDictionary<string, double>> ScoreAsync(EpochCompleted epoch, CancellationToken cancellationToken)
    {
        if (epoch.Epoch == TestEpochs.Hang)
            await Task.Delay(TimeSpan.FromMinutes(10), CancellationToken.None); // ignores cancellation on purpose
        return new Dictionary<string, double> { ["slow_ok"] = 1 };
    }
}
