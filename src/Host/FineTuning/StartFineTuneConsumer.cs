using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Messages;

namespace Pipeline.Host.FineTuning;

/// <summary>
/// A run is requested: it is recorded in runs/&lt;run-id&gt;/run.json before the message is acknowledged, then queued
/// for this node's worker. Training takes longer than RabbitMQ lets a message stay unacknowledged, so the run goes
/// on from the record. A redelivered request for a run already on disk resumes it from its last finished epoch;
/// one for a finished run does nothing.
/// </summary>
public sealed class StartFineTuneConsumer(FineTuneQueue queue, ILogger<StartFineTuneConsumer> logger) : IConsumer<StartFineTune>
{
    public Task Consume(ConsumeContext<StartFineTune> context)
    {
        var request = context.Message;
        var directory = RunStore.RunDirectory(request.RunsDirectory, request.RunId);
        var existing = RunStore.TryLoad(directory);
        if (existing is { Status: RunStatus.Completed or RunStatus.Failed })
        {
            logger.LogInformation("Run {RunId} already ended ({Status}); request ignored", request.RunId, existing.Status);
            return Task.CompletedTask;
        }
        if (existing is null)
            RunStore.Save(directory, new RunRecord { Request = request, Lambda = request.Lambda });
        else
            logger.LogInformation("Run {RunId} resumes after epoch {Epoch}", request.RunId, existing.LastCompletedEpoch);
        queue.Enqueue(directory);
        return Task.CompletedTask;
    }
}

public sealed class StartFineTuneConsumerDefinition : MassTransit.ConsumerDefinition<StartFineTuneConsumer>
{
    public StartFineTuneConsumerDefinition() => ConcurrentMessageLimit = 1;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<StartFineTuneConsumer> consumer,
        IRegistrationContext context) => Consumers.RetryPolicy.Apply(endpoint);
}
