using System.Net;
using System.Net.Sockets;

namespace Pipeline.Host.Tests.Support;

/// <summary>
/// A loopback port where nothing answers until <see cref="Open"/>; from then on it forwards every connection to the
/// test broker — a broker that comes up after the node, without stopping the shared one.
/// </summary>
public sealed class LateBrokerPort : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;

    public LateBrokerPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public void Open()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener!.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        using (var broker = new TcpClient())
        {
            try
            {
                await broker.ConnectAsync(Broker.Address.Host, Broker.Address.Port, _stop.Token);
                var up = client.GetStream().CopyToAsync(broker.GetStream(), _stop.Token);
                var down = broker.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                await Task.WhenAny(up, down);
            }
            catch (Exception)
            {
                // a connection ending, or the test ending: nothing to forward any more
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener?.Stop();
    }
}
