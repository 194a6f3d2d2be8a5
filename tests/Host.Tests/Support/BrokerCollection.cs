namespace Pipeline.Host.Tests.Support;

/// <summary>Broker tests run one at a time: some restart the broker, and timings of the others should not suffer for it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerCollection
{
    public const string Name = "real RabbitMQ broker";
}
