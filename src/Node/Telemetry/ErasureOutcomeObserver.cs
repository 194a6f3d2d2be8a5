using MassTransit;
using Pipeline.Contracts.Messages;
using Pipeline.Node.Erasure.Ledger;

namespace Pipeline.Node.Telemetry;

/// <summary>
/// Counts finished erasures (pipeline.erasures) as this node publishes their outcome. The outcome events are the one
/// place every erasure ends, whichever forgetter ran it, so the count needs no ledger query and no change to the
/// ledger; summed over the fleet's nodes it is the fleet's total.
/// </summary>
public sealed class ErasureOutcomeObserver(PipelineMetrics metrics) : IPublishObserver
{
    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class
    {
        switch (context.Message)
        {
            case UnlearningCompleted:
                metrics.ErasureFinished(ErasureState.Completed);
                break;
            case UnlearningRejected:
                metrics.ErasureFinished(ErasureState.Rejected);
                break;
        }
        return Task.CompletedTask;
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
