using System.Text;
using RabbitMQ.Client;

namespace Pipeline.Host.Tests.Support;

/// <summary>
/// Publishes bytes as they are, with the plain RabbitMQ client, to a message type's MassTransit exchange: what a
/// broken or hostile producer sends (bodies MassTransit's own publisher could never produce).
/// </summary>
public sealed class RawPublisher : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private RawPublisher(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<RawPublisher> ConnectAsync(string virtualHost)
    {
        var connection = await Broker.ConnectAsync(virtualHost);
        return new RawPublisher(connection, await connection.CreateChannelAsync());
    }

    /// <summary>The exchange MassTransit binds the type's consumers to: "Namespace:TypeName".</summary>
    public static string ExchangeOf(Type messageType) => $"{messageType.Namespace}:{messageType.Name}";

    /// <summary>A MassTransit JSON envelope around <paramref name="messageJson"/>, claiming the given type.</summary>
    public static byte[] Envelope(Type messageType, string messageJson) => Encoding.UTF8.GetBytes(
        $$"""{"messageId":"{{Guid.NewGuid()}}","messageType":["urn:message:{{ExchangeOf(messageType)}}"],"sentTime":"{{DateTimeOffset.UtcNow:O}}","message":{{messageJson}}}""");

    public async Task PublishAsync(Type messageType, byte[] body)
    {
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = Guid.NewGuid().ToString(), Persistent = true };
        await _channel.BasicPublishAsync(ExchangeOf(messageType), "", mandatory: false, properties, body);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
    }
}
