using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;

namespace Pipeline.TestPlugins;

public sealed class FlakyScorer : IEpochScorer
{
    public string Name => "flaky-scorer";

    public Task<IReadOnlyDictionary<string, double>> ScoreAsync(EpochCompleted epoch, CancellationToken cancellationToken)
    {
        if (epoch.Epoch == TestEpochs.Throw)
            throw new InvalidOperationException("deliberate failure on the unlucky epoch");
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double> { ["flaky_ok"] = 1 };
        return Task.FromResult(metrics);
    }
}
