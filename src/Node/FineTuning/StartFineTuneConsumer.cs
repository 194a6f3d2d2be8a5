using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Messages;
using Pipeline.Node.Bus;
using Pipeline.Node.Hosting;
using Pipeline.Contracts.Runs;

namespace Pipeline.Node.FineTuning;

/// <summary>
/// A run is requested: it is recorded in runs/&lt;run-id&gt;/run.json before the message is acknowledged, then queued
/// for this node's worker. Training takes longer than RabbitMQ lets a message stay unacknowledged, so the run goes
/// on from the record. A redelivered request for a run already on disk resumes it from its last finished epoch (a
/// suspended run too: its checkpoint storage was full); one for a finished run does nothing, except announce its end
/// when that was recorded but never published.
/// </summary>
public sealed class StartFineTuneConsumer(FineTuneQueue queue, NodeIdentity node, ILogger<StartFineTuneConsumer> logger) : IConsumer<StartFineTune>
{
    public Task Consume(ConsumeContext<StartFineTune> context)
    {
        var request = context.Message;
        var directory = RunStore.RunDirectory(request.RunsDirectory, request.RunId);
        var existing = RunStore.TryLoad(directory);
        if (existing is { Status: RunStatus.Completed or RunStatus.Failed, OutcomePending: false })
        {
            logger.LogInformation("Run {RunId} already ended ({Status}); request ignored", request.RunId, existing.Status);
            return Task.CompletedTask;
        }
        if (existing is null)
            RunStore.Save(directory, new RunRecord { Request = request, Lambda = request.Lambda, Node = node.Name });
        else if (existing.Status is RunStatus.Completed or RunStatus.Failed)
            logger.LogInformation("Run {RunId} ended ({Status}) before its end was announced: announcing it", request.RunId, existing.Status);
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
        IRegistrationContext context) => RetryPolicy.Apply(endpoint);
}
