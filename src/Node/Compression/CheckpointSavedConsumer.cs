using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Plugins;
using Pipeline.Node.Bus;

namespace Pipeline.Node.Compression;

/// <summary>A checkpoint was saved: every checkpoint compressor whose policy takes it produces a CheckpointCompressed.</summary>
public sealed class CheckpointSavedConsumer(PluginCatalog catalog, PluginInvoker invoker, RunAftermath aftermath, ILogger<CheckpointSavedConsumer> logger)
    : IConsumer<CheckpointSaved>
{
    public async Task Consume(ConsumeContext<CheckpointSaved> context)
    {
        try
        {
            await CompressAsync(context);
        }
        finally
        {
            if (context.Message.Kind is "best" or "unlearned") // announced with RunAftermath.Add by the worker or the erasure processor
                aftermath.Done(context.Message.RunId);
        }
    }

    private async Task CompressAsync(ConsumeContext<CheckpointSaved> context)
    {
        var saved = context.Message;
        var failures = new List<PluginFailedException>();

        foreach (var (plugin, compressor) in catalog.OfRole<ICheckpointCompressor>())
        {
            try
            {
                var result = await invoker.InvokeAsync(plugin, ct => compressor.CompressAsync(saved, ct), context.CancellationToken);
                if (result is null)
                    continue;
                var ratio = result.Bytes > 0 ? (double)result.SourceBytes / result.Bytes : 0;
                aftermath.Add(saved.RunId); // recorded in the run's report by CheckpointCompressedConsumer
                await context.Publish(new CheckpointCompressed(saved.RunId, saved.Checkpoint, result.Compressed, result.Method,
                    plugin.Name, result.Bytes, ratio, result.Metrics, DateTimeOffset.UtcNow));
            }
            catch (PluginFailedException failure)
            {
                logger.LogError(failure, "Run {RunId} checkpoint {Path}: {Failure}", saved.RunId, saved.Checkpoint.Path, failure.Message);
                failures.Add(failure);
            }
        }

        if (failures.Count > 0)
            throw PluginFailedException.Combine(failures);
    }
}

/// <summary>The endpoint of <see cref="CheckpointSavedConsumer"/> (kebab-case of the consumer's name): retry and concurrency.</summary>
public sealed class CheckpointSavedConsumerDefinition : ConsumerDefinition<CheckpointSavedConsumer>
{
    public CheckpointSavedConsumerDefinition() => ConcurrentMessageLimit = 1; // compression holds a whole model in memory

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<CheckpointSavedConsumer> consumer,
        IRegistrationContext context) => RetryPolicy.Apply(endpoint);
}
