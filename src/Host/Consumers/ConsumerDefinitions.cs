using MassTransit;

namespace Pipeline.Host.Consumers;

// One definition per consumer: endpoint name (kebab-case of the consumer, e.g. "epoch-completed"), retry and concurrency.

public sealed class EpochCompletedConsumerDefinition : ConsumerDefinition<EpochCompletedConsumer>
{
    public EpochCompletedConsumerDefinition() => ConcurrentMessageLimit = 2; // scoring decodes with the model: heavy

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<EpochCompletedConsumer> consumer,
        IRegistrationContext context) => RetryPolicy.Apply(endpoint);
}

public sealed class EpochScoredConsumerDefinition : ConsumerDefinition<EpochScoredConsumer>
{
    // One at a time: a run's decisions must follow its epochs in order.
    public EpochScoredConsumerDefinition() => ConcurrentMessageLimit = 1;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<EpochScoredConsumer> consumer,
        IRegistrationContext context) => RetryPolicy.Apply(endpoint);
}

public sealed class CheckpointSavedConsumerDefinition : ConsumerDefinition<CheckpointSavedConsumer>
{
    public CheckpointSavedConsumerDefinition() => ConcurrentMessageLimit = 1; // compression holds a whole model in memory

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<CheckpointSavedConsumer> consumer,
        IRegistrationContext context) => RetryPolicy.Apply(endpoint);
}

public sealed class CheckpointCompressedConsumerDefinition : ConsumerDefinition<CheckpointCompressedConsumer>
{
    public CheckpointCompressedConsumerDefinition() => ConcurrentMessageLimit = 1; // one writer of a run's record at a time

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<CheckpointCompressedConsumer> consumer,
        IRegistrationContext context) => RetryPolicy.Apply(endpoint);
}

public sealed class UnlearnRequestedConsumerDefinition : ConsumerDefinition<UnlearnRequestedConsumer>
{
    public UnlearnRequestedConsumerDefinition() => ConcurrentMessageLimit = 8;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<UnlearnRequestedConsumer> consumer,
        IRegistrationContext context)
    {
        // Data-governance systems that are not .NET publish plain JSON (content type application/json) to this endpoint.
        endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: false);
        RetryPolicy.Apply(endpoint);
    }
}
