using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using Pipeline.Node.Bus;

namespace Pipeline.Node.Health;

/// <summary>
/// Broker: on RabbitMQ, opens (and closes) a real AMQP connection to the configured broker with the configured
/// credentials, so a wrong host, port, virtual host or password shows here as it would in `serve`. On the in-memory
/// bus there is no broker to reach: Healthy, and the description says so.
/// </summary>
public sealed class BrokerHealthCheck(BusOptions bus, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (bus.Transport != BusTransport.RabbitMQ)
            return HealthCheckResult.Healthy("in-memory bus: no broker (one process)", new Dictionary<string, object> { ["transport"] = "in_memory" });

        var rabbit = bus.RabbitMQ;
        var data = new Dictionary<string, object> { ["transport"] = "rabbitmq", ["broker"] = rabbit.Describe() };
        var timeout = TimeSpan.FromSeconds(options.Value.BrokerTimeoutSeconds);
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            await using var connection = await Factory(rabbit, timeout).CreateConnectionAsync("pipeline-health", limit.Token);
            data["server"] = connection.ServerProperties?.TryGetValue("version", out var version) == true && version is byte[] bytes
                ? System.Text.Encoding.UTF8.GetString(bytes)
                : "unknown";
            await connection.CloseAsync(TimeSpan.FromSeconds(2));
            return HealthCheckResult.Healthy($"connected to {rabbit.Describe()}", data);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"no answer from {rabbit.Describe()} within {timeout.TotalSeconds:0.#} s", data: data);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // The client wraps the socket error (connection refused, name not known, ACCESS_REFUSED) in
            // BrokerUnreachableException: the innermost message is the reason an operator can act on.
            return HealthCheckResult.Unhealthy($"cannot connect to {rabbit.Describe()}: {Innermost(failure).Message.ReplaceLineEndings(" ")}", data: data);
        }
    }

    private static ConnectionFactory Factory(RabbitMqOptions rabbit, TimeSpan timeout)
    {
        var factory = new ConnectionFactory
        {
            HostName = rabbit.Host,
            Port = rabbit.Port,
            VirtualHost = rabbit.VirtualHost,
            // One attempt, no recovery loop: a health check reports the state now, it does not wait for it to change.
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedConnectionTimeout = timeout,
            HandshakeContinuationTimeout = timeout,
            SocketReadTimeout = timeout,
            SocketWriteTimeout = timeout,
        };
        // MassTransit's defaults when none are configured: the same as `serve` would use.
        factory.UserName = rabbit.Username.Length > 0 ? rabbit.Username : "guest";
        factory.Password = rabbit.Password.Length > 0 ? rabbit.Password : "guest";
        if (rabbit.UseTls)
            factory.Ssl = new SslOption { Enabled = true, ServerName = rabbit.TlsServerName ?? rabbit.Host };
        return factory;
    }

    private static Exception Innermost(Exception failure)
    {
        while (failure.InnerException is not null)
            failure = failure.InnerException;
        return failure;
    }
}
