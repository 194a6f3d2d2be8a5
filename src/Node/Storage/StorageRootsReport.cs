using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pipeline.Node.Storage;

/// <summary>At a server's start-up, says which folders messages may name (the run-forgetter's runs folder among them when set).</summary>
public sealed class StorageRootsReport(StorageRoots roots, ILogger<StorageRootsReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var checkpointRoots = roots.CheckpointRoots.ToList();
        logger.LogInformation("Storage: checkpoints and runs inside {CheckpointRoots}; base models and data sets also from {ReadRoots}",
            string.Join(", ", checkpointRoots), string.Join(", ", roots.ReadRoots.Except(checkpointRoots)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
