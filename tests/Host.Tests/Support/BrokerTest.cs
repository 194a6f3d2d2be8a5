namespace Pipeline.Host.Tests.Support;

/// <summary>A test on the real broker: its own virtual host and plugin directory, removed afterwards.</summary>
[Collection(BrokerCollection.Name)]
public abstract class BrokerTest : IAsyncLifetime
{
    protected string VirtualHost { get; private set; } = "/";
    protected string PluginDirectory { get; } = TestPlugins.NewDirectory();

    protected Dictionary<string, string?> Settings => Broker.HostSettings(VirtualHost);

    public async Task InitializeAsync() => VirtualHost = await Broker.NewVirtualHostAsync();

    public Task DisposeAsync()
    {
        Broker.DeleteVirtualHost(VirtualHost);
        return Task.CompletedTask;
    }

    protected Task<TestHost> StartHostAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = Settings;
        foreach (var (key, value) in extra ?? [])
            settings[key] = value;
        return TestHost.StartAsync(PluginDirectory, settings);
    }
}
