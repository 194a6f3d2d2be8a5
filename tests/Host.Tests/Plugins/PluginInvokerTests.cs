using Microsoft.Extensions.Options;
using Pipeline.Contracts.Plugins;
using Pipeline.Node.Plugins;

namespace Pipeline.Host.Tests.Plugins;

public sealed class PluginInvokerTests
{
    private sealed class NamedPlugin(string name) : IPipelinePlugin
    {
        public string Name => name;
    }

    private static LoadedPlugin Plugin(string name) => new(new NamedPlugin(name), "1.0", "/x.dll", []);

    private static PluginInvoker Invoker(double seconds = 300, Dictionary<string, double>? overrides = null) =>
        new(Options.Create(new PluginOptions { TimeoutSeconds = seconds, Timeouts = overrides ?? [] }));

    [Fact]
    public async Task A_throwing_plugin_becomes_a_failure_naming_the_plugin()
    {
        var failure = await Assert.ThrowsAsync<PluginFailedException>(() =>
            Invoker().InvokeAsync<int>(Plugin("boom"), _ => throw new InvalidOperationException("bad state"), default));

        Assert.Equal("boom", failure.PluginName);
        Assert.Contains("plugin 'boom' failed: InvalidOperationException: bad state", failure.Message);
    }

    [Fact]
    public async Task A_plugin_ignoring_cancellation_still_times_out()
    {
        var failure = await Assert.ThrowsAsync<PluginFailedException>(() =>
            Invoker(overrides: new() { ["sleepy"] = 0.2 }).InvokeAsync(Plugin("sleepy"), async _ =>
            {
                await Task.Delay(TimeSpan.FromMinutes(5), CancellationToken.None);
                return 1;
            }, default));

        Assert.Contains("plugin 'sleepy' timed out after 0.2 s", failure.Message);
    }

    [Fact]
    public async Task A_plugin_within_its_time_returns_its_result()
    {
        Assert.Equal(42, await Invoker(seconds: 30).InvokeAsync(Plugin("quick"), _ => Task.FromResult(42), default));
    }

    [Fact]
    public void Several_failures_of_one_message_are_named_together()
    {
        var combined = PluginFailedException.Combine([new PluginFailedException("a", "failed: x"), new PluginFailedException("b", "failed: y")]);
        Assert.Contains("plugin 'a' failed: x", combined.Message);
        Assert.Contains("plugin 'b' failed: y", combined.Message);
    }
}
