namespace Pipeline.Node.Bus;

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

    /// <summary>
    /// Let MassTransit report usage telemetry to its vendor (see <see cref="Bus.UsageTelemetry"/>). Off: the node makes no
    /// connection but to the broker, the ledger's database and the ones its operator configures.
    /// </summary>
    public bool UsageTelemetry { get; set; }

    /// <summary>How many messages one endpoint handles at once; training and scoring are heavy, so keep it small.</summary>
    public int ConcurrentMessageLimit { get; set; } = 8;
}
