using System.Net;
using System.Net.Sockets;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Host.Tests.Support;

namespace Pipeline.Host.Tests.Broker;

/// <summary>
/// A node that governs personal data makes no connection its operator did not configure. The evidence is the node's own
/// connection log (Diagnostics:ConnectionLog: .NET's name-resolution, socket and HTTP event sources, so it sees every
/// library's connections), which the last test shows does catch MassTransit's usage report when that is turned on.
/// </summary>
public sealed class NoPhoneHomeTests : BrokerTest
{
    private static readonly TimeSpan ReportDelay = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_serve_node_connects_to_its_broker_and_nowhere_else_from_start_to_sigterm()
    {
        var log = NewLogPath();
        var prometheus = FreePort();
        using var serve = new ServeProcess(new Dictionary<string, string?>(Settings)
        {
            ["Node:Name"] = "node-quiet",
            ["Plugins:Directory"] = PluginDirectory,
            ["Ledger:Path"] = Path.Combine(Path.GetDirectoryName(PluginDirectory)!, "ledger.db"),
            ["Telemetry:Prometheus:Enabled"] = "true",
            ["Telemetry:Prometheus:Url"] = $"http://localhost:{prometheus}/metrics",
            ["Diagnostics:ConnectionLog"] = log,
        });
        await QueueConsumers.WaitForAsync(VirtualHost, "unlearn-requested", 1, () => serve.Output);
        serve.Terminate();
        Assert.True(await serve.WaitForExitAsync(TimeSpan.FromSeconds(90)) == 0, serve.Output);

        var entries = Read(log);
        Assert.Contains(entries, e => e.Kind == "connect" && IsBroker(e.Target)); // the log saw the node's real connection
        Assert.All(entries, e => Assert.True(IsBrokerEntry(e), $"unconfigured connection: {e.Line}\nall:\n{string.Join('\n', entries.Select(x => x.Line))}"));
    }

    [Fact]
    public async Task A_finetune_run_on_the_embedded_bus_opens_no_connection_at_all()
    {
        var tiny = TinyRun.Create(records: 16);
        var log = NewLogPath();
        var settings = new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "InMemory",
            ["FineTune:Threads"] = "1",
            ["Plugins:Directory"] = PluginDirectory,
            ["Ledger:Path"] = Path.Combine(tiny.Root, "ledger.db"),
            ["Telemetry:Prometheus:Enabled"] = "true",
            ["Telemetry:Prometheus:Url"] = $"http://localhost:{FreePort()}/metrics",
            ["Diagnostics:ConnectionLog"] = log,
        };
        var result = await PipelineProcess.RunAsync(tiny.Root, settings, "finetune", "--data", tiny.DataPath, "--base-model", tiny.BaseModel,
            "--epochs", "1", "--batch-size", "4", "--context", "32", "--precision", "float32", "--out", tiny.RunsDirectory);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.True(File.Exists(log), "the connection log was never opened");
        // The Prometheus listener looks up its own host name to bind; nothing connects anywhere.
        Assert.All(Read(log), e => Assert.True(e is { Kind: "resolve", Target: "localhost" }, $"unconfigured connection: {e.Line}"));
    }

    [Fact]
    public async Task With_default_settings_the_bus_never_reports_usage_telemetry()
    {
        var log = NewLogPath();
        var host = await StartHostAsync(log, usageTelemetry: null);
        await using (host)
        {
            Assert.False(host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
            await Task.Delay(ReportDelay * 5); // past the (shortened) report delay
        }
        var entries = Read(log);
        Assert.DoesNotContain(entries, e => e.Line.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
        Assert.All(entries, e => Assert.True(IsLoopbackOrLocalName(e), $"connection outside this machine: {e.Line}"));
    }

    [Fact]
    public async Task Usage_telemetry_turned_on_by_its_setting_is_caught_by_the_connection_log()
    {
        // The check above can fail: with Bus:UsageTelemetry=true MassTransit tries to reach its vendor (no network here,
        // so it fails, but the attempt is logged).
        var log = NewLogPath();
        var host = await StartHostAsync(log, usageTelemetry: "true");
        await using (host)
        {
            Assert.True(host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
            Assert.True(await Eventually.TrueAsync(() => Read(log).Any(e => !IsLoopbackOrLocalName(e)), TimeSpan.FromSeconds(60)),
                "no outside connection attempt logged:\n" + string.Join('\n', Read(log).Select(e => e.Line)));
        }
    }

    private async Task<TestHost> StartHostAsync(string log, string? usageTelemetry)
    {
        var settings = new Dictionary<string, string?>(Settings) { ["Diagnostics:ConnectionLog"] = log };
        if (usageTelemetry is not null)
            settings["Bus:UsageTelemetry"] = usageTelemetry;
        return await TestHost.StartAsync(PluginDirectory, settings, configure: builder =>
            builder.Services.Configure<UsageTelemetryOptions>(o => o.ReportDelay = ReportDelay));
    }

    private sealed record Entry(string Line, string Kind, string Target);

    private static List<Entry> Read(string path)
    {
        if (!File.Exists(path))
            return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 3))
            .Select(parts => new Entry(string.Join(' ', parts), parts.ElementAtOrDefault(1) ?? "", parts.ElementAtOrDefault(2) ?? ""))
            .ToList();
    }

    private static bool IsBrokerEntry(Entry entry) => entry.Kind switch
    {
        "resolve" => entry.Target == Support.Broker.Address.Host,
        "connect" => IsBroker(entry.Target),
        _ => false,
    };

    private static bool IsBroker(string endpoint) =>
        TryParse(endpoint, out var address, out var port) && port == Support.Broker.Address.Port &&
        (IPAddress.IsLoopback(address) || Dns.GetHostAddresses(Support.Broker.Address.Host).Contains(address));

    /// <summary>Other tests of this process talk to the local broker and database meanwhile: loopback is theirs or ours.</summary>
    private static bool IsLoopbackOrLocalName(Entry entry) => entry.Kind switch
    {
        "resolve" => entry.Target is "localhost" || entry.Target == Support.Broker.Address.Host || IPAddress.TryParse(entry.Target, out var ip) && IPAddress.IsLoopback(ip),
        "connect" => TryParse(entry.Target, out var address, out _) && IPAddress.IsLoopback(address),
        "http" => Uri.TryCreate(entry.Target, UriKind.Absolute, out var uri) && uri.IsLoopback,
        _ => false,
    };

    private static bool TryParse(string endpoint, out IPAddress address, out int port)
    {
        address = IPAddress.None;
        port = 0;
        var colon = endpoint.LastIndexOf(':');
        return colon > 0 && int.TryParse(endpoint[(colon + 1)..], out port) &&
               IPAddress.TryParse(endpoint[..colon].Trim('[', ']'), out address!);
    }

    private static string NewLogPath() => Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"), "connections.log");

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
