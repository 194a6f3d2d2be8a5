using System.Diagnostics.Tracing;
using System.Globalization;
using System.Net;

namespace Pipeline.Node.Diagnostics;

/// <summary>
/// Diagnostics:ConnectionLog: every name look-up, socket connect and HTTP request this process starts, one line each
/// (`TIME resolve HOST`, `TIME connect ADDRESS:PORT`, `TIME http URL`), appended to a file. It listens to .NET's own
/// networking event sources, so it sees every library's connections (MassTransit, RabbitMQ.Client, Npgsql, HttpClient),
/// not only ours: an operator can check that a node reaches nothing but the broker and database it was given.
/// </summary>
public sealed class ConnectionLog : EventListener
{
    private static readonly string[] Sources = ["System.Net.NameResolution", "System.Net.Sockets", "System.Net.Http"];
    private readonly StreamWriter _writer;
    private readonly object _lock = new();
    private bool _disposed;

    public ConnectionLog(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        // Sources created before this constructor finished were offered to OnEventSourceCreated while _writer was null.
        foreach (var source in EventSource.GetSources())
            Listen(source);
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        // Called from the base constructor, before this class's fields are set: the constructor enables those later.
        if (_writer is not null)
            Listen(source);
    }

    private void Listen(EventSource source)
    {
        if (Sources.Contains(source.Name))
            EnableEvents(source, EventLevel.Informational);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        var line = (e.EventSource.Name, e.EventName) switch
        {
            ("System.Net.NameResolution", "ResolutionStart") => $"resolve {Payload(e, 0)}",
            ("System.Net.Sockets", "ConnectStart") => $"connect {Endpoint(Payload(e, 0))}",
            ("System.Net.Http", "RequestStart") => $"http {Payload(e, 0)}://{Payload(e, 1)}:{Payload(e, 2)}{Payload(e, 3)}",
            _ => null,
        };
        if (line is null)
            return;
        lock (_lock)
        {
            if (!_disposed)
                _writer.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {line}");
        }
    }

    public override void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _writer.Dispose();
        }
        base.Dispose();
    }

    private static string Payload(EventWrittenEventArgs e, int index) =>
        e.Payload is { } payload && payload.Count > index ? Convert.ToString(payload[index], CultureInfo.InvariantCulture) ?? "" : "";

    /// <summary>
    /// The sockets source names the peer as SocketAddress.ToString(): "InterNetwork:16:{p1,p2,a,b,c,d,...}" (port in
    /// network order, then the IPv4 address) or "InterNetworkV6:28:{p1,p2,flow×4,address×16,scope×4}"; read it as
    /// ADDRESS:PORT, or keep it as written when it is neither (a Unix socket, say).
    /// </summary>
    public static string Endpoint(string socketAddress)
    {
        var open = socketAddress.IndexOf('{');
        var close = socketAddress.LastIndexOf('}');
        if (open < 0 || close < open)
            return socketAddress;
        var bytes = socketAddress[(open + 1)..close].Split(',', StringSplitOptions.TrimEntries)
            .Select(b => byte.TryParse(b, out var value) ? value : (byte?)null).ToList();
        if (bytes.Any(b => b is null))
            return socketAddress;
        var raw = bytes.Select(b => b!.Value).ToArray();
        if (socketAddress.StartsWith("InterNetwork:", StringComparison.Ordinal) && raw.Length >= 6)
            return $"{new IPAddress(raw[2..6])}:{raw[0] << 8 | raw[1]}";
        if (socketAddress.StartsWith("InterNetworkV6:", StringComparison.Ordinal) && raw.Length >= 22)
            return $"[{new IPAddress(raw[6..22])}]:{raw[0] << 8 | raw[1]}";
        return socketAddress;
    }
}
