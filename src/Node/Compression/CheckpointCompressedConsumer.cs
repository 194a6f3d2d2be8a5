using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Messages;
using Pipeline.Node.FineTuning;
using Pipeline.Node.FineTuning.Reports;
using Pipeline.Node.Bus;
using Pipeline.Contracts.Runs;

namespace Pipeline.Node.Compression;

/// <summary>
/// A run's checkpoint was compressed: the run record and report list it (method, path, ratio, validation perplexity).
/// The run is found from the source checkpoint (RUN/checkpoints/NAME or RUN/unlearned/NAME). While the run is still
/// training its worker owns run.json and records compressions itself when it finishes; a compression already listed
/// (a redelivery) is not listed twice.
/// </summary>
public sealed class CheckpointCompressedConsumer(RunAftermath aftermath, ILogger<CheckpointCompressedConsumer> logger) : IConsumer<CheckpointCompressed>
{
    public Task Consume(ConsumeContext<CheckpointCompressed> context)
    {
        try
        {
            return Record(context);
        }
        finally
        {
            aftermath.Done(context.Message.RunId);
        }
    }

    private Task Record(ConsumeContext<CheckpointCompressed> context)
    {
        var compressed = context.Message;
        var runDirectory = Path.GetFullPath(Path.Combine(compressed.Source.Path, "..", ".."));
        var run = RunStore.TryLoad(runDirectory);
        if (run is null || run.Request.RunId != compressed.RunId)
        {
            logger.LogInformation("Compressed checkpoint {Path} is not in a run folder of run {RunId}; not recorded in a report", compressed.Compressed.Path, compressed.RunId);
            return Task.CompletedTask;
        }
        if (run.Status == RunStatus.Running || run.Compressed.Any(c => c.Path == compressed.Compressed.Path))
            return Task.CompletedTask;
        // Copies whose folder is gone (an erasure deleted the checkpoints they were made from, and them) are no longer listed.
        run.Compressed.RemoveAll(c => !Directory.Exists(c.Path));
        run.Compressed.Add(CompressedRecord.Of(compressed));
        RunStore.Save(runDirectory, run);
        RunReport.Write(runDirectory, run);
        return Task.CompletedTask;
    }
}

/// <summary>The endpoint of <see cref="CheckpointCompressedConsumer"/> (kebab-case of the consumer's name): retry and concurrency.</summary>
public sealed class CheckpointCompressedConsumerDefinition : ConsumerDefinition<CheckpointCompressedConsumer>
{
    public CheckpointCompressedConsumerDefinition() => ConcurrentMessageLimit = 1; // one writer of a run's record at a time

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<CheckpointCompressedConsumer> consumer,
        IRegistrationContext context) => RetryPolicy.Apply(endpoint);
}
