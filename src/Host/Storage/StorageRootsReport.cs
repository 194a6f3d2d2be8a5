using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Host.Plugins;

namespace Pipeline.Host.Storage;

/// <summary>
/// At a server's start-up, says which folders messages may name, and warns when the run-forgetter looks for runs
/// outside the checkpoint root: the "unlearned" checkpoints it announces would then be refused by this very node.
/// </summary>
public sealed class StorageRootsReport(StorageRoots roots, IOptions<PluginOptions> plugins, ILogger<StorageRootsReport> logger) : IHostedService
{
    public const string ForgetterName = "run-forgetter";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var checkpointRoots = roots.CheckpointRoots.ToList();
        logger.LogInformation("Storage: checkpoints and runs inside {CheckpointRoots}; base models and data sets also from {ReadRoots}",
            string.Join(", ", checkpointRoots), string.Join(", ", roots.ReadRoots.Except(checkpointRoots)));
        if (plugins.Value.SettingsFor(ForgetterName).TryGetValue("RunsDirectory", out var forgetterRuns) && forgetterRuns.Length > 0
            && !roots.InCheckpointRoot(forgetterRuns))
            logger.LogWarning("Plugins:Settings:{Forgetter}:RunsDirectory ({Folder}) is outside Storage:CheckpointRoot: this node will refuse the checkpoints it unlearns there",
                ForgetterName, Path.GetFullPath(forgetterRuns));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
