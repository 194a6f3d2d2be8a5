using System.Text.Json;
using RabbitMQ.Client;

namespace Pipeline.Host.Tests.Support;

/// <summary>
/// A durable queue bound to the exchanges MassTransit publishes the given message types to, declared with the plain
/// RabbitMQ client. Unlike a test host's temporary observer queue it survives a broker restart (MassTransit publishes
/// persistent messages), so it holds every copy of every event the broker accepted; <see cref="DrainAsync"/> reads them.
/// </summary>
public sealed class DurableEventQueue
{
    private readonly string _virtualHost;
    private readonly string _queue;

    private DurableEventQueue(string virtualHost, string queue)
    {
        _virtualHost = virtualHost;
        _queue = queue;
    }

    /// <summary>One delivered copy: the envelope's message id and type, and the message itself.</summary>
    public sealed record Delivery(Guid MessageId, string MessageType, JsonElement Message)
    {
        public Guid RunId => Message.GetProperty("runId").GetGuid();
        public int? Epoch => Message.TryGetProperty("epoch", out var epoch) ? epoch.GetInt32() : null;
        public string? Kind => Message.TryGetProperty("kind", out var kind) ? kind.GetString() : null;
    }

    public static async Task<DurableEventQueue> DeclareAsync(string virtualHost, params Type[] messageTypes)
    {
        var queue = "durable-observer-" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = await Broker.ConnectAsync(virtualHost);
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        foreach (var type in messageTypes)
        {
            // MassTransit's publish topology: one durable fanout exchange per message type, named Namespace:Type.
            var exchange = $"{type.Namespace}:{type.Name}";
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(queue, exchange, routingKey: "");
        }
        return new DurableEventQueue(virtualHost, queue);
    }

    /// <summary>Takes every message the queue holds now.</summary>
    public async Task<IReadOnlyList<Delivery>> DrainAsync()
    {
        await using var connection = await Broker.ConnectAsync(_virtualHost);
        await using var channel = await connection.CreateChannelAsync();
        var deliveries = new List<Delivery>();
        while (await channel.BasicGetAsync(_queue, autoAck: true) is { } result)
        {
            using var envelope = JsonDocument.Parse(result.Body);
            var root = envelope.RootElement;
            var type = root.GetProperty("messageType")[0].GetString()!;
            deliveries.Add(new Delivery(root.GetProperty("messageId").GetGuid(), type[(type.LastIndexOf(':') + 1)..],
                root.GetProperty("message").Clone()));
        }
        return deliveries;
    }
}
