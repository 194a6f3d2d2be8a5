using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Pipeline.Node.Storage;

namespace Pipeline.Node.Health;

/// <summary>
/// Disk: free space on the volume that holds the runs folder, where every epoch writes a checkpoint. Unhealthy below
/// Health:MinimumFreeDiskMegabytes, Degraded below twice that: a run that cannot write its checkpoint fails mid-epoch.
/// </summary>
public sealed class DiskHealthCheck(IOptions<HealthOptions> options, IOptions<StorageOptions> storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var runs = Path.GetFullPath(RunsDirectory());
        // The folder may not exist yet (no run so far): its nearest existing parent is on the volume it will be on.
        var existing = runs;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
            existing = parent;

        var drive = new DriveInfo(existing);
        var freeMegabytes = drive.AvailableFreeSpace / (1024 * 1024);
        var minimum = options.Value.MinimumFreeDiskMegabytes;
        var data = new Dictionary<string, object>
        {
            ["path"] = runs,
            ["free_mb"] = freeMegabytes,
            ["total_mb"] = drive.TotalSize / (1024 * 1024),
            ["minimum_free_mb"] = minimum,
        };
        var description = $"{freeMegabytes:N0} MB free for {runs} (minimum {minimum:N0} MB)";
        var result = freeMegabytes < minimum ? HealthCheckResult.Unhealthy(description, data: data)
            : freeMegabytes < 2 * minimum ? HealthCheckResult.Degraded(description, data: data)
            : HealthCheckResult.Healthy(description, data);
        return Task.FromResult(result);
    }

    /// <summary>Health:RunsDirectory when set, else the checkpoint root: where every run writes its checkpoints.</summary>
    private string RunsDirectory() => options.Value.RunsDirectory.Length > 0 ? options.Value.RunsDirectory : storage.Value.CheckpointRoot;
}
