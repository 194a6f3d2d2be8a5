using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Node.Hosting;

namespace Pipeline.Node.Erasure.Security;

public static class SecurityRegistration
{
    /// <summary>Erasure request authentication (Security:Erasure:*); servers read the publishers' keys at start-up.</summary>
    public static IHostApplicationBuilder AddErasureSecurity(this IHostApplicationBuilder builder, HostRole role)
    {
        builder.AddSettings<ErasureSecurityOptions>(ErasureSecurityOptions.Section);
        builder.Services.AddSingleton<ErasureRequestAuthenticator>();
        if (role == HostRole.Server)
            builder.Services.AddHostedService<PublisherKeysCheck>();
        return builder;
    }

    /// <summary>Reads the keys when the node starts, so a bad key stops it with the reason instead of refusing every request later.</summary>
    private sealed class PublisherKeysCheck(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<ErasureRequestAuthenticator>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
