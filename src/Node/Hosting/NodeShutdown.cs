namespace Pipeline.Node.Hosting;

/// <summary>How long a stopping node may take to finish or hand back its work (systemd's TimeoutStopSec in deploy/ matches).</summary>
public static class NodeShutdown
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);
}
