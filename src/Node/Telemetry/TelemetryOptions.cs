using System.Text.RegularExpressions;
using Pipeline.Node.Hosting;

namespace Pipeline.Node.Telemetry;

/// <summary>Configuration section "Telemetry".</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public PrometheusOptions Prometheus { get; set; } = new();
}

/// <summary>Configuration section "Telemetry:Prometheus": a scrape endpoint for `serve` and `finetune`.</summary>
public sealed partial class PrometheusOptions
{
    /// <summary>Off by default: an open port is the operator's decision.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Where Prometheus scrapes: http://HOST:PORT/PATH. localhost answers only this machine; http://+:9464/metrics (or *)
    /// listens on every interface.
    /// </summary>
    public string Url { get; set; } = "http://localhost:9464/metrics";

    /// <summary>Url's host, port and path, as the HTTP listener takes them.</summary>
    public (string Host, int Port, string Path) Endpoint()
    {
        // Not System.Uri: "+" and "*" (every interface) are HttpListener hosts but not URI hosts.
        var match = UrlPattern().Match(Url);
        if (!match.Success || !int.TryParse(match.Groups["port"].Value, out var port) || port is < 1 or > 65535)
            throw new SettingException("Telemetry:Prometheus:Url", $"Telemetry:Prometheus:Url '{Url}' is not http://HOST:PORT/PATH (for example http://localhost:9464/metrics)");
        var path = match.Groups["path"].Value;
        return (match.Groups["host"].Value, port, path.Length == 0 ? "/metrics" : path);
    }

    [GeneratedRegex(@"^http://(?<host>[^/:]+):(?<port>\d+)(?<path>/[^?#]*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();
}
