using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Pipeline.Node.Diagnostics;

public static class ConnectionLogRegistration
{
    public const string Key = "Diagnostics:ConnectionLog";

    /// <summary>With Diagnostics:ConnectionLog set, every outbound connection of this process from now on is logged there.</summary>
    public static IHostApplicationBuilder AddConnectionLog(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration[Key] is not { Length: > 0 } path)
            return builder;
        var log = new ConnectionLog(path); // listening from now: the host's own start-up connections count too
        builder.Services.AddSingleton(log);
        // Registered before every other hosted service, so stopped after them all: their shutdown is logged too.
        builder.Services.AddHostedService<ConnectionLogLifetime>();
        return builder;
    }

    /// <summary>Closes the log when the host stops.</summary>
    private sealed class ConnectionLogLifetime(ConnectionLog log) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            log.Dispose();
            return Task.CompletedTask;
        }
    }
}
