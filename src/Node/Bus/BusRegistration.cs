using FluentValidation;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Contracts.Validation;
using Pipeline.Node.Compression;
using Pipeline.Node.Erasure;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Hosting;
using Pipeline.Node.Policies;
using Pipeline.Node.Scoring;

namespace Pipeline.Node.Bus;

public static class BusRegistration
{
    public static readonly TimeSpan RunControlQueueExpiry = TimeSpan.FromMinutes(30);

    /// <summary>MassTransit on the configured transport (Bus:*), validators on every endpoint, and on servers the consumers.</summary>
    public static IHostApplicationBuilder AddPipelineBus(this IHostApplicationBuilder builder, HostRole role)
    {
        var options = builder.Configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<MessageCounters>();
        builder.Services.AddSingleton<PersistentPublisher>();
        builder.Services.AddSingleton<RunHistoryStore>();
        builder.Services.AddValidatorsFromAssemblyContaining<EpochCompletedValidator>(ServiceLifetime.Singleton);

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            UsageTelemetry.Apply(bus, options.UsageTelemetry);
            if (role == HostRole.Server)
            {
                bus.AddConsumer<EpochCompletedConsumer, EpochCompletedConsumerDefinition>();
                bus.AddConsumer<EpochScoredConsumer, EpochScoredConsumerDefinition>();
                bus.AddConsumer<CheckpointSavedConsumer, CheckpointSavedConsumerDefinition>();
                bus.AddConsumer<CheckpointCompressedConsumer, CheckpointCompressedConsumerDefinition>();
                bus.AddConsumer<UnlearnRequestedConsumer, UnlearnRequestedConsumerDefinition>();
                bus.AddConsumer<StartFineTuneConsumer, StartFineTuneConsumerDefinition>();
                // Run control is broadcast: each node listens on its own queue and acts for the runs it holds. On RabbitMQ the
                // queue is durable and expires 30 minutes after its node last used it: a temporary (non-durable) queue is
                // deleted by a broker restart, and a verdict published before the node declares it again would be lost,
                // leaving the run waiting out FineTune:VerdictTimeoutSeconds.
                bus.AddConsumer<RunControlConsumer>().Endpoint(e =>
                {
                    e.Name = $"run-control-{Guid.NewGuid():N}";
                    e.Temporary = options.Transport != BusTransport.RabbitMQ;
                    e.AddConfigureEndpointCallback((_, endpoint) =>
                    {
                        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                            rabbit.QueueExpiration = RunControlQueueExpiry;
                    });
                });
            }

            switch (options.Transport)
            {
                case BusTransport.RabbitMQ:
                    bus.UsingRabbitMq((context, cfg) =>
                    {
                        cfg.ConnectTo(options.RabbitMQ);
                        ConfigureEndpoints(cfg, context, options);
                    });
                    break;
                default:
                    bus.UsingInMemory((context, cfg) => ConfigureEndpoints(cfg, context, options));
                    break;
            }
        });
        builder.Services.AddReceiveEndpointObserver<BrokerConnectionReporter>();
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            // Long work (scoring, compression) gets time to finish, or is returned to the queue, on SIGTERM.
            o.StopTimeout = TimeSpan.FromMinutes(2);
            o.ConsumerStopTimeout = TimeSpan.FromMinutes(2);
        });
        return builder;
    }

    private static void ConfigureEndpoints<TEndpoint>(IBusFactoryConfigurator<TEndpoint> cfg, IBusRegistrationContext context, BusOptions options)
        where TEndpoint : IReceiveEndpointConfigurator
    {
        cfg.UseConsumeFilter(typeof(ValidationFilter<>), context);
        cfg.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
        cfg.ConfigureEndpoints(context);
    }
}
