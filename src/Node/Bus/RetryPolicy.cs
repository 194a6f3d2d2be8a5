using MassTransit;
using Pipeline.Node.Plugins;

namespace Pipeline.Node.Bus;

/// <summary>
/// The retry every consumer uses: a few quick retries for passing faults (a locked file, a broker hiccup), none
/// for an invalid message or a failing plugin, which would only fail again.
/// </summary>
public static class RetryPolicy
{
    public static void Apply(IReceiveEndpointConfigurator endpoint) =>
        endpoint.UseMessageRetry(retry =>
        {
            retry.Ignore<MessageValidationException>();
            retry.Ignore<PluginFailedException>();
            retry.Ignore<AggregateException>(e => e.InnerExceptions.All(i => i is PluginFailedException));
            retry.Intervals(200, 1_000, 5_000);
        });
}
