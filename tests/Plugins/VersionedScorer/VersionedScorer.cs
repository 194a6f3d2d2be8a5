using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;

namespace Pipeline.TestPlugins;

/// <summary>Reports its own assembly's major version, so a test sees which build of the plugin handled a message.</summary>
public sealed class VersionedScorer : IEpochScorer
{
    public string Name => "versioned-scorer";

    public Task<IReadOnlyDictionary<string, double>> ScoreAsync(EpochCompleted epoch, CancellationToken cancellationToken)
    {
        var version = typeof(VersionedScorer).Assembly.GetName().Version!.Major;
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double> { ["plugin_version"] = version };
        return Task.FromResult(metrics);
    }
}
