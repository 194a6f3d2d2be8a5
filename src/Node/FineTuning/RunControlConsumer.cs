using MassTransit;
using Pipeline.Contracts.Messages;

namespace Pipeline.Node.FineTuning;

/// <summary>
/// Feeds RunControl. It listens on a temporary, per-node endpoint: every node sees every run's control messages and
/// the node running the run acts on them (commands for a run must reach wherever it runs).
/// </summary>
public sealed class RunControlConsumer(RunControl control) :
    IConsumer<EpochReviewed>, IConsumer<StopTraining>, IConsumer<SetRegularisation>, IConsumer<EpochScored>, IConsumer<CheckpointCompressed>
{
    public Task Consume(ConsumeContext<EpochReviewed> context)
    {
        control.For(context.Message.RunId).Reviewed(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<StopTraining> context)
    {
        control.For(context.Message.RunId).StopRequested ??= $"{context.Message.DecidedBy}: {context.Message.Reason}";
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<SetRegularisation> context)
    {
        control.For(context.Message.RunId).LambdaRequested = context.Message.Lambda;
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<EpochScored> context)
    {
        var signals = control.For(context.Message.RunId);
        signals.Metrics[context.Message.Epoch] = context.Message.Metrics;
        foreach (var (name, label) in context.Message.Labels ?? new Dictionary<string, string>())
            signals.MetricLabels[name] = label;
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<CheckpointCompressed> context)
    {
        control.For(context.Message.RunId).Compressed.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}
