using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Node.Hosting;

namespace Pipeline.Host.Tests.Support;

/// <summary>
/// A real Pipeline server host in this process (the same builder `pipeline serve` uses) on its own plugin
/// directory and ledger, plus an observer endpoint that keeps every follow-up message the host publishes.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ConcurrentQueue<object> _observed = new();
    private readonly SemaphoreSlim _arrivals = new(0);

    private TestHost(IHost host, string root)
    {
        _host = host;
        Root = root;
    }

    public string Root { get; }
    public IServiceProvider Services => _host.Services;
    public IBus Bus => _host.Services.GetRequiredService<IBus>();

    public static async Task<TestHost> StartAsync(string pluginDirectory, IDictionary<string, string?> settings, HostRole role = HostRole.Server,
        Action<HostApplicationBuilder>? configure = null)
    {
        var root = Path.GetDirectoryName(pluginDirectory)!;
        var overrides = new Dictionary<string, string?>(TestStorage.Confined(TestPublisher.Trusting(settings)))
        {
            ["Plugins:Directory"] = pluginDirectory,
            ["Plugins:ReloadDelayMilliseconds"] = "200",
            ["Ledger:Path"] = settings.TryGetValue("Ledger:Path", out var ledger) ? ledger : Path.Combine(root, "ledger.db"),
            ["Node:Name"] = settings.TryGetValue("Node:Name", out var node) ? node : "test-node",
        };
        var builder = PipelineHostBuilder.Create(role, LogLevel.Warning, overrides);
        configure?.Invoke(builder);
        var host = builder.Build();
        var testHost = new TestHost(host, root);
        await host.StartAsync();
        await testHost.ObserveAsync();
        return testHost;
    }

    /// <summary>Waits until an observed message of type T matches; fails the test (no timing assertion) if none comes within the limit.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan? limit = null) where T : class
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (_observed.OfType<T>().FirstOrDefault(match) is { } found)
                return found;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrivals.WaitAsync(left))
                throw new TimeoutException($"no matching {typeof(T).Name} arrived; observed: {string.Join(", ", _observed.Select(o => o.GetType().Name))}");
        }
    }

    public IReadOnlyList<T> Observed<T>() => _observed.OfType<T>().ToList();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(30));
        _host.Dispose();
    }

    private async Task ObserveAsync()
    {
        var handle = Bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance, endpoint =>
        {
            endpoint.Handler<Pipeline.Contracts.Messages.EpochScored>(Keep);
            endpoint.Handler<Pipeline.Contracts.Messages.StopTraining>(Keep);
            endpoint.Handler<Pipeline.Contracts.Messages.EpochReviewed>(Keep);
            endpoint.Handler<Pipeline.Contracts.Messages.EpochCompleted>(Keep);
            endpoint.Handler<Pipeline.Contracts.Messages.CheckpointSaved>(Keep);
            endpoint.Handler<Pipeline.Contracts.Messages.FineTuneCompleted>(Keep);
            endpoint.Handler<Pipeline.Contracts.Messages.FineTuneFailed>(Keep);
            endpoint.Handler<Pipeline.Contracts.Messages.SetRegularisation>(Keep);
            endpoint.Handler<Pipeline.Contracts.Messages.CheckpointCompressed>(Keep);
            endpoint.Handler<Pipeline.Contracts.Messages.UnlearningCompleted>(Keep);
            endpoint.Handler<Pipeline.Contracts.Messages.UnlearningRejected>(Keep);
        });
        await handle.Ready;
    }

    private Task Keep<T>(ConsumeContext<T> context) where T : class
    {
        _observed.Enqueue(context.Message);
        _arrivals.Release();
        return Task.CompletedTask;
    }
}
