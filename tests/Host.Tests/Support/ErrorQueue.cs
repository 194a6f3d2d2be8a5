using System.Text;
using RabbitMQ.Client;

namespace Pipeline.Host.Tests.Support;

/// <summary>Reads what MassTransit moved to an endpoint's _error queue, with the plain RabbitMQ client.</summary>
public static class ErrorQueue
{
    public sealed record FaultedMessage(string Body, IReadOnlyDictionary<string, string> Headers);

    public static async Task<FaultedMessage> TakeAsync(string virtualHost, string queue, TimeSpan? limit = null)
    {
        await using var connection = await Broker.ConnectAsync(virtualHost);
        await using var channel = await connection.CreateChannelAsync();
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var result = await channel.BasicGetAsync(queue, autoAck: true);
                if (result is not null)
                    return Read(result);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // The queue does not exist until MassTransit first moves a message there.
                await channel.CloseAsync();
                return await TakeAsync(virtualHost, queue, deadline - DateTime.UtcNow);
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"nothing arrived in {queue}");
    }

    /// <summary>Takes every message the queue holds now (none when the queue was never created).</summary>
    public static async Task<List<FaultedMessage>> DrainAsync(string virtualHost, string queue)
    {
        await using var connection = await Broker.ConnectAsync(virtualHost);
        await using var channel = await connection.CreateChannelAsync();
        var taken = new List<FaultedMessage>();
        try
        {
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } result)
                taken.Add(Read(result));
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // no such queue: nothing was ever faulted there
        }
        return taken;
    }

    public static async Task<uint> CountAsync(string virtualHost, string queue)
    {
        await using var connection = await Broker.ConnectAsync(virtualHost);
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }

    private static FaultedMessage Read(BasicGetResult result)
    {
        var headers = (result.BasicProperties.Headers ?? new Dictionary<string, object?>())
            .ToDictionary(h => h.Key, h => h.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : h.Value?.ToString() ?? "");
        return new FaultedMessage(Encoding.UTF8.GetString(result.Body.Span), headers);
    }
}
