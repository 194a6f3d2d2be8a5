using MassTransit;
using Pipeline.Contracts.Messages;
using Pipeline.Node.FineTuning.Reports;

namespace Pipeline.Node.FineTuning;

/// <summary>Publishes a StartFineTune and waits for that run's end (FineTuneCompleted or FineTuneFailed), echoing its scores and stop.</summary>
public static class RunFollower
{
    public static async Task<object> PublishAndFollowAsync(IBus bus, StartFineTune request, ITrainingProgressSink sink, CancellationToken cancellationToken)
    {
        var outcome = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance, endpoint =>
        {
            endpoint.Handler<FineTuneCompleted>(c => Settle(c.Message.RunId, c.Message));
            endpoint.Handler<FineTuneFailed>(c => Settle(c.Message.RunId, c.Message));
            endpoint.Handler<EpochScored>(c =>
            {
                if (c.Message.RunId == request.RunId)
                {
                    // Broken-down metrics (verbatim_rate@cluster_k) are many: counted here, listed in the table and report.
                    var shown = c.Message.Metrics.Where(m => m.Key is not ("train_loss" or "val_loss" or "lambda" or "tune_lambda") && !MetricBreakdown.IsBreakdown(m.Key));
                    var breakdowns = c.Message.Metrics.Keys.Count(MetricBreakdown.IsBreakdown);
                    sink.Message($"epoch {c.Message.Epoch} scored: " + string.Join(", ", shown.Select(m => $"{m.Key} {m.Value:0.####}"))
                                 + (breakdowns > 0 ? $" (+{breakdowns} per-group metrics)" : ""));
                }
                return Task.CompletedTask;
            });
            endpoint.Handler<StopTraining>(c =>
            {
                if (c.Message.RunId == request.RunId)
                    sink.Message($"{c.Message.DecidedBy} stops the run after epoch {c.Message.Epoch}: {c.Message.Reason}");
                return Task.CompletedTask;
            });
        });
        try
        {
            await handle.Ready.WaitAsync(cancellationToken);
            await bus.Publish(request, cancellationToken);
            sink.Message($"run {request.RunId}: {request.Dataset} on {request.BaseModel}, {request.Epochs} epochs → {RunStore.RunDirectory(request.RunsDirectory, request.RunId)}");
            return await outcome.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            await handle.StopAsync(CancellationToken.None);
        }

        Task Settle(Guid id, object message)
        {
            if (id == request.RunId)
                outcome.TrySetResult(message);
            return Task.CompletedTask;
        }
    }
}
