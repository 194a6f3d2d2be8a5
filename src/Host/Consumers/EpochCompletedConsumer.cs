using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;
using Pipeline.Host.Plugins;

namespace Pipeline.Host.Consumers;

/// <summary>
/// An epoch finished: every epoch scorer scores it and the merged metrics go out as EpochScored (the training and
/// validation losses always among them). A failing scorer faults this message, after the others' metrics are published.
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
        var scorers = new List<string>();
        var failures = new List<PluginFailedException>();

        foreach (var (plugin, scorer) in catalog.OfRole<IEpochScorer>())
        {
            try
            {
                var scores = await invoker.InvokeAsync(plugin, ct => scorer.ScoreAsync(epoch, ct), context.CancellationToken);
                foreach (var (name, value) in scores)
                {
                    if (!metrics.TryAdd(name, value))
                        logger.LogWarning("Scorer {Scorer} reported {Metric} again; the first value is kept", plugin.Name, name);
                }
                scorers.Add(plugin.Name);
            }
            catch (PluginFailedException failure)
            {
                logger.LogError(failure, "Run {RunId} epoch {Epoch}: {Failure}", epoch.RunId, epoch.Epoch, failure.Message);
                failures.Add(failure);
            }
        }

        await context.Publish(new EpochScored(epoch.RunId, epoch.Epoch, metrics, scorers, DateTimeOffset.UtcNow));
        if (failures.Count > 0)
            throw PluginFailedException.Combine(failures);
    }
}
