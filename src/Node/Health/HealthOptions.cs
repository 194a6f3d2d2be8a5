using Pipeline.Node.Hosting;

namespace Pipeline.Node.Health;

/// <summary>Configuration section "Health": the thresholds of `pipeline health`'s checks.</summary>
public sealed class HealthOptions : ICheckedSettings
{
    public const string Section = "Health";

    /// <summary>Below this much free space on the runs volume the disk check is Unhealthy; below twice this, Degraded.</summary>
    public long MinimumFreeDiskMegabytes { get; set; } = 1024;

    /// <summary>
    /// The runs folder whose volume the disk check watches (checkpoints are written under it). Empty: Storage:CheckpointRoot.
    /// Relative to the working directory.
    /// </summary>
    public string RunsDirectory { get; set; } = "";

    /// <summary>How long the broker check waits for an AMQP connection before it calls the broker unreachable.</summary>
    public double BrokerTimeoutSeconds { get; set; } = 5;

    /// <summary>How long any one check may take; past it the check is Unhealthy ("timed out"), so `pipeline health` never hangs.</summary>
    public double CheckTimeoutSeconds { get; set; } = 10;

    public IEnumerable<(string Key, string Reason)> Problems()
    {
        if (MinimumFreeDiskMegabytes < 0) yield return (nameof(MinimumFreeDiskMegabytes), "must not be negative");
        if (!(BrokerTimeoutSeconds > 0)) yield return (nameof(BrokerTimeoutSeconds), "must be a positive number of seconds");
        if (!(CheckTimeoutSeconds > 0)) yield return (nameof(CheckTimeoutSeconds), "must be a positive number of seconds");
    }
}
