using MassTransit;

namespace Pipeline.Node.Bus;

/// <summary>Points a MassTransit RabbitMQ bus at the configured broker: one place for host, credentials and TLS.</summary>
public static class RabbitMqConnection
{
    public static void ConnectTo(this IRabbitMqBusFactoryConfigurator cfg, RabbitMqOptions rabbit) =>
        cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, host =>
        {
            if (rabbit.Username.Length > 0) host.Username(rabbit.Username);
            if (rabbit.Password.Length > 0) host.Password(rabbit.Password);
            if (rabbit.UseTls)
                host.UseSsl(ssl => ssl.ServerName = rabbit.TlsServerName ?? rabbit.Host);
        });
}
