using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;
using Pipeline.Node.Bus;
using Pipeline.Node.Plugins;

namespace Pipeline.Node.Scoring;

/// <summary>
/// An epoch finished: every epoch scorer scores it and the merged metrics go out as EpochScored (the training and
/// validation losses always among them). Scorers that label their metrics (IMetricLabeller) are asked for the labels
/// after they scored; a label goes out only for a metric that scorer reported. A failing scorer faults this message,
/// after the others' metrics are published.
/// </summary>
public sealed class EpochCompletedConsumer(PluginCatalog catalog, PluginInvoker invoker, ILogger<EpochCompletedConsumer> logger)
    : IConsumer<EpochCompleted>
{
    public async Task Consume(ConsumeContext<EpochCompleted> context)
    {
        var epoch = context.Message;
        // The losses and λ travel with every epoch's scores: training policies decide from them.
        var metrics = new Dictionary<string, double> { ["train_loss"] = epoch.TrainLoss, ["val_loss"] = epoch.ValLoss, ["lambda"] = epoch.Lambda };
        if (epoch.TuneLambda)
            metrics["tune_lambda"] = 1;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var scorers = new List<string>();
        var failures = new List<PluginFailedException>();

        foreach (var (plugin, scorer) in catalog.OfRole<IEpochScorer>())
        {
            try
            {
                var scores = await invoker.InvokeAsync(plugin, ct => scorer.ScoreAsync(epoch, ct), context.CancellationToken);
                var added = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (name, value) in scores)
                {
                    if (metrics.TryAdd(name, value))
                        added.Add(name);
                    else
                        logger.LogWarning("Scorer {Scorer} reported {Metric} again; the first value is kept", plugin.Name, name);
                }
                if (scorer is IMetricLabeller labeller)
                {
                    var given = await invoker.InvokeAsync(plugin, _ => Task.FromResult(labeller.LabelsFor(epoch)), context.CancellationToken);
                    foreach (var (name, label) in given)
                        if (added.Contains(name) && !string.IsNullOrWhiteSpace(label)) // a label describes this scorer's value, not another's of the same name
                            labels.TryAdd(name, Shortened(label));
                }
                scorers.Add(plugin.Name);
            }
            catch (PluginFailedException failure)
            {
                logger.LogError(failure, "Run {RunId} epoch {Epoch}: {Failure}", epoch.RunId, epoch.Epoch, failure.Message);
                failures.Add(failure);
            }
        }

        // A redelivered epoch (the broker lost the acknowledgement) is scored again under the same message id.
        await context.Publish(new EpochScored(epoch.RunId, epoch.Epoch, metrics, scorers, DateTimeOffset.UtcNow)
        {
            Labels = labels.Count > 0 ? labels : null,
        }, reply => reply.MessageId = DeterministicMessageId.ReplyTo(context.MessageId, "epoch-scored"));
        if (failures.Count > 0)
            throw PluginFailedException.Combine(failures);
    }

    /// <summary>A label cut to what EpochScored's validator accepts, so one verbose plugin cannot void the whole message.</summary>
    private static string Shortened(string label) =>
        label.Length <= EpochScored.MaxLabelLength ? label : label[..(EpochScored.MaxLabelLength - 1)] + "…";
}

/// <summary>The endpoint of <see cref="EpochCompletedConsumer"/> (kebab-case of the consumer's name): retry and concurrency.</summary>
public sealed class EpochCompletedConsumerDefinition : ConsumerDefinition<EpochCompletedConsumer>
{
    public EpochCompletedConsumerDefinition() => ConcurrentMessageLimit = 2; // scoring decodes with the model: heavy

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<EpochCompletedConsumer> consumer,
        IRegistrationContext context) => RetryPolicy.Apply(endpoint);
}
