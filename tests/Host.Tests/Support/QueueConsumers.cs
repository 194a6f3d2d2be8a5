namespace Pipeline.Host.Tests.Support;

public static class QueueConsumers
{
    /// <summary>Waits until a queue has at least this many consumers (a serve process is ready when it consumes).</summary>
    public static async Task WaitForAsync(string virtualHost, string queue, int consumers, Func<string> diagnostics, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(90));
        await using var connection = await Broker.ConnectAsync(virtualHost);
        while (DateTime.UtcNow < deadline)
        {
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                if ((await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount >= consumers)
                    return;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // not declared yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{queue} never had {consumers} consumers; serve output:\n{diagnostics()}");
    }
}
