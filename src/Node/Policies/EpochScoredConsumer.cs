using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;
using Pipeline.Node.Bus;
using Pipeline.Node.Plugins;

namespace Pipeline.Node.Policies;

/// <summary>
/// An epoch was scored: it joins the run's history and every training policy decides from that history whether
/// to stop the run or change its regularisation. Decisions go out as StopTraining / SetRegularisation commands, and
/// then EpochReviewed sums them up for the fine-tuning worker, which waits for it before the next epoch (even when a
/// policy failed, so a broken policy cannot stall a run).
/// </summary>
public sealed class EpochScoredConsumer(PluginCatalog catalog, PluginInvoker invoker, RunHistoryStore histories,
    ILogger<EpochScoredConsumer> logger) : IConsumer<EpochScored>
{
    public async Task Consume(ConsumeContext<EpochScored> context)
    {
        var scored = context.Message;
        var history = histories.Record(scored);
        var failures = new List<PluginFailedException>();
        var policies = new List<string>();
        string? stopReason = null;
        double? lambda = null;

        foreach (var (plugin, policy) in catalog.OfRole<ITrainingPolicy>())
        {
            try
            {
                var decision = await invoker.InvokeAsync(plugin, ct => policy.DecideAsync(history, ct), context.CancellationToken);
                policies.Add(plugin.Name);
                switch (decision)
                {
                    case TrainingDecision.Stop stop:
                        logger.LogInformation("Run {RunId}: {Policy} stops training after epoch {Epoch}: {Reason}", scored.RunId, plugin.Name, scored.Epoch, stop.Reason);
                        await context.Publish(new StopTraining(scored.RunId, scored.Epoch, stop.Reason, plugin.Name, DateTimeOffset.UtcNow),
                            reply => reply.MessageId = ReplyId(context, "stop-training/" + plugin.Name));
                        stopReason ??= $"{plugin.Name}: {stop.Reason}";
                        break;
                    case TrainingDecision.Regularise regularise:
                        histories.SetLambda(scored.RunId, regularise.Lambda);
                        logger.LogInformation("Run {RunId}: {Policy} sets lambda {Lambda} from epoch {Epoch}: {Reason}", scored.RunId, plugin.Name, regularise.Lambda, scored.Epoch + 1, regularise.Reason);
                        await context.Publish(new SetRegularisation(scored.RunId, regularise.Lambda, scored.Epoch + 1, regularise.Reason, plugin.Name, DateTimeOffset.UtcNow),
                            reply => reply.MessageId = ReplyId(context, "set-regularisation/" + plugin.Name));
                        lambda = regularise.Lambda;
                        break;
                }
            }
            catch (PluginFailedException failure)
            {
                logger.LogError(failure, "Run {RunId} epoch {Epoch}: {Failure}", scored.RunId, scored.Epoch, failure.Message);
                failures.Add(failure);
            }
        }

        await context.Publish(new EpochReviewed(scored.RunId, scored.Epoch, stopReason is not null, stopReason, lambda, policies, DateTimeOffset.UtcNow),
            reply => reply.MessageId = ReplyId(context, "epoch-reviewed"));
        if (failures.Count > 0)
            throw PluginFailedException.Combine(failures);
    }

    // A redelivered EpochScored (its acknowledgement lost to a broker restart) yields the same decisions under the same ids.
    private static Guid ReplyId(ConsumeContext context, string reply) => DeterministicMessageId.ReplyTo(context.MessageId, reply);
}

/// <summary>The endpoint of <see cref="EpochScoredConsumer"/> (kebab-case of the consumer's name): retry and concurrency.</summary>
public sealed class EpochScoredConsumerDefinition : ConsumerDefinition<EpochScoredConsumer>
{
    // One at a time: a run's decisions must follow its epochs in order.
    public EpochScoredConsumerDefinition() => ConcurrentMessageLimit = 1;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<EpochScoredConsumer> consumer,
        IRegistrationContext context) => RetryPolicy.Apply(endpoint);
}
