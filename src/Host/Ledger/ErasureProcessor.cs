using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;
using Pipeline.Host.Hosting;
using Pipeline.Host.Plugins;

namespace Pipeline.Host.Ledger;

/// <summary>
/// Runs erasures from the ledger: claims a pending request, hands it to the forgetter, records each stage the
/// forgetter reports, and publishes UnlearningCompleted or UnlearningRejected. At start-up it picks up what an
/// earlier run of this node left unfinished.
/// </summary>
public sealed class ErasureProcessor(ErasureLedger ledger, ErasureQueue queue, PluginCatalog catalog, PluginInvoker invoker,
    IBus bus, NodeIdentity node, ILogger<ErasureProcessor> logger) : BackgroundService
{
    public const string NoForgetterReason = "no forgetter installed";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var requestId in ledger.PendingFor(node.Name))
            queue.Enqueue(requestId);

        try
        {
            await foreach (var requestId in queue.ReadAllAsync(stoppingToken))
                await RunAsync(requestId, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(Guid requestId, CancellationToken stoppingToken)
    {
        var pending = ledger.TryClaim(requestId, node.Name);
        if (pending is null)
            return; // finished already, or another node holds it

        var forgetter = catalog.OfRole<IForgetter>().FirstOrDefault();
        if (forgetter.Plugin is null)
        {
            await RejectAsync(pending, NoForgetterReason);
            return;
        }

        var job = new ErasureJob(pending.RequestId, pending.SubjectId, pending.DatasetId, pending.RecordIds);
        var progress = new SynchronousProgress(stage => ledger.Advance(requestId, Enum.Parse<ErasureState>(stage.ToString()), node.Name));
        try
        {
            var outcome = await invoker.InvokeAsync(forgetter.Plugin, ct => forgetter.Role.ForgetAsync(job, progress, ct), stoppingToken);
            if (!outcome.Forgotten)
            {
                await RejectAsync(pending, outcome.Reason ?? $"{forgetter.Plugin.Name} did not forget the subject");
                return;
            }
            // New model versions first: once the erasure reads Completed, they have been announced.
            foreach (var model in outcome.Models)
                await bus.Publish(new CheckpointSaved(model.RunId, model.Epoch, model.Checkpoint, "unlearned", DateTimeOffset.UtcNow), CancellationToken.None);
            ledger.Complete(requestId, forgetter.Plugin.Name, outcome.Evidence, node.Name, outcome.Summary);
            logger.LogInformation("Erasure {RequestId} for {SubjectHash} completed by {Forgetter}: {Summary}", requestId, pending.SubjectHash,
                forgetter.Plugin.Name, outcome.Summary ?? "forgotten");
            await bus.Publish(new UnlearningCompleted(requestId, pending.SubjectHash, forgetter.Plugin.Name, outcome.Evidence, node.Name, DateTimeOffset.UtcNow)
            {
                Summary = outcome.Summary,
            }, CancellationToken.None);
        }
        catch (PluginFailedException failure)
        {
            await RejectAsync(pending, failure.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown mid-erasure: give the claim back, so this or another node starts it again from the ledger.
            ledger.Release(requestId, node.Name);
            logger.LogWarning("Erasure {RequestId} interrupted by shutdown; left pending in the ledger", requestId);
        }
    }

    private async Task RejectAsync(PendingErasure pending, string reason)
    {
        ledger.Reject(pending.RequestId, reason, node.Name);
        logger.LogWarning("Erasure {RequestId} for {SubjectHash} rejected: {Reason}", pending.RequestId, pending.SubjectHash, reason);
        await bus.Publish(new UnlearningRejected(pending.RequestId, pending.SubjectHash, reason, node.Name, DateTimeOffset.UtcNow), CancellationToken.None);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the ledger must record a stage before the forgetter moves on.</summary>
    private sealed class SynchronousProgress(Action<ErasureStage> report) : IProgress<ErasureStage>
    {
        public void Report(ErasureStage value) => report(value);
    }
}
