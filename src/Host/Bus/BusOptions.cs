namespace Pipeline.Host.Bus;

public enum BusTransport
{
    InMemory,
    RabbitMQ,
}

/// <summary>Configuration section "Bus": which transport carries the messages.</summary>
public sealed class BusOptions
{
    public const string Section = "Bus";

    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    public RabbitMqOptions RabbitMQ { get; set; } = new();

    /// <summary>How many messages one endpoint handles at once; training and scoring are heavy, so keep it small.</summary>
    public int ConcurrentMessageLimit { get; set; } = 8;
}
