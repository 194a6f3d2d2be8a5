using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;

namespace Pipeline.TestPlugins;

/// <summary>Crashes on every epoch of runs whose data set file name contains "crash-scorer".</summary>
public sealed class CrashingScorer : IEpochScorer
{
    public string Name => "crashing-scorer";

    public Task<IReadOnlyDictionary<string, double>> ScoreAsync(EpochCompleted epoch, CancellationToken cancellationToken)
    {
        if (epoch.Dataset.Contains("crash-scorer", StringComparison.Ordinal))
            throw new InvalidOperationException("deliberate crash while scoring");
        return Task.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double>());
    }
}
