using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;
using Pipeline.Node.Bus;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Hosting;
using Pipeline.Node.Plugins;
using Pipeline.Node.Privacy;

namespace Pipeline.Node.Erasure;

/// <summary>
/// Runs erasures from the ledger: claims pending requests, hands them to the forgetter, records each stage the
/// forgetter reports, and publishes UnlearningCompleted or UnlearningRejected for each. Requests that arrive within
/// the batching window (Ledger:BatchWindowSeconds) go to a batching forgetter together, as one unlearning run; each is
/// still claimed, audited and answered on its own. At start-up it picks up what an earlier run of this node left
/// unfinished (<see cref="UnfinishedErasures"/>): the outcomes it wrote but may not have published, then the erasures
/// still pending.
/// </summary>
public sealed class ErasureProcessor(IErasureLedger ledger, ErasureQueue queue, IEnumerable<IUnfinishedWork<Guid>> unfinished, PluginCatalog catalog,
    PluginInvoker invoker, PersistentPublisher publisher, OutcomeAnnouncer announcer, NodeIdentity node, RunAftermath aftermath,
    IOptions<LedgerOptions> options, ILogger<ErasureProcessor> logger) : DurableWorker<Guid>(queue, unfinished, logger)
{
    public const string NoForgetterReason = "no forgetter installed";

    protected override string Describe(Guid requestId) => $"Erasure {requestId} (left pending in the ledger)";

    protected override async Task CarryOutAsync(Guid first, WorkQueue<Guid> queue, CancellationToken stoppingToken) =>
        await RunAsync(await CollectBatchAsync(first, queue, stoppingToken), stoppingToken);

    /// <summary>The first request and those that arrive within the window after it (up to BatchMaxRequests).</summary>
    private async Task<List<Guid>> CollectBatchAsync(Guid first, WorkQueue<Guid> queue, CancellationToken stoppingToken)
    {
        var batch = new List<Guid> { first };
        var window = TimeSpan.FromSeconds(Math.Max(0, options.Value.BatchWindowSeconds));
        var deadline = DateTime.UtcNow + window;
        while (batch.Count < Math.Max(1, options.Value.BatchMaxRequests))
        {
            var (found, next) = await queue.TryReadAsync(deadline - DateTime.UtcNow, stoppingToken);
            if (!found) break;
            if (!batch.Contains(next)) batch.Add(next);
        }
        return batch;
    }

    private async Task RunAsync(List<Guid> requestIds, CancellationToken stoppingToken)
    {
        // Finished already, or another node holds them: nothing to do for those.
        var pending = requestIds.Select(id => ledger.TryClaim(id, node.Name)).OfType<PendingErasure>().ToList();
        if (pending.Count == 0)
            return;

        var forgetter = catalog.OfRole<IForgetter>().FirstOrDefault();
        if (forgetter.Plugin is null)
        {
            foreach (var erasure in pending)
                await RejectAsync(erasure, NoForgetterReason, stoppingToken);
            return;
        }
        if (pending.Count > 1 && forgetter.Role is IBatchForgetter batching)
        {
            logger.LogInformation("Erasures {RequestIds} carried out as one batch by {Forgetter}", string.Join(", ", pending.Select(p => p.RequestId)),
                forgetter.Plugin.Name);
            await CarryOutAsync(forgetter.Plugin, pending, ct => batching.ForgetBatchAsync(pending.Select(Job).ToList(), Progress(pending), ct), stoppingToken);
            return;
        }
        foreach (var erasure in pending)
            await CarryOutAsync(forgetter.Plugin, [erasure],
                async ct => (IReadOnlyList<ForgettingOutcome>)[await forgetter.Role.ForgetAsync(Job(erasure), Progress([erasure]), ct)], stoppingToken);
    }

    private async Task CarryOutAsync(LoadedPlugin plugin, IReadOnlyList<PendingErasure> pending,
        Func<CancellationToken, Task<IReadOnlyList<ForgettingOutcome>>> forget, CancellationToken stoppingToken)
    {
        try
        {
            var outcomes = await invoker.InvokeAsync(plugin, forget, stoppingToken);
            if (outcomes.Count != pending.Count)
                throw new PluginFailedException(plugin.Name, $"{plugin.Name} answered {outcomes.Count} of {pending.Count} erasures");
            // New model versions first (once per version, however many requests it serves): once an erasure reads
            // Completed, they have been announced.
            foreach (var model in outcomes.Where(o => o.Forgotten).SelectMany(o => o.Models).DistinctBy(m => m.Checkpoint.Path))
            {
                aftermath.Add(model.RunId); // compressors take the new version (CheckpointSavedConsumer marks it done)
                await publisher.PublishAsync(new CheckpointSaved(model.RunId, model.Epoch, model.Checkpoint, "unlearned", DateTimeOffset.UtcNow),
                    DeterministicMessageId.For(model.RunId, $"checkpoint-saved:unlearned:{model.Checkpoint.Path}"), stoppingToken);
            }
            for (var i = 0; i < pending.Count; i++)
            {
                if (outcomes[i].Forgotten)
                    await CompleteAsync(plugin, pending[i], outcomes[i], stoppingToken);
                else
                    await RejectAsync(pending[i], outcomes[i].Reason ?? $"{plugin.Name} did not forget the subject", stoppingToken);
            }
        }
        catch (PluginFailedException failure)
        {
            foreach (var erasure in pending)
                await RejectAsync(erasure, failure.Message, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown mid-erasure: give the claims back, so this or another node starts them again from the ledger.
            foreach (var erasure in pending)
            {
                ledger.Release(erasure.RequestId, node.Name);
                logger.LogWarning("Erasure {RequestId} interrupted by shutdown; left pending in the ledger", erasure.RequestId);
            }
        }
    }

    private static ErasureJob Job(PendingErasure pending) => new(pending.RequestId, pending.SubjectId, pending.DatasetId, pending.RecordIds);

    /// <summary>A stage the forgetter reports is recorded, before it moves on, for every erasure it works on.</summary>
    private SynchronousProgress Progress(IReadOnlyList<PendingErasure> pending) => new(stage =>
    {
        foreach (var erasure in pending)
            ledger.Advance(erasure.RequestId, Enum.Parse<ErasureState>(stage.ToString()), node.Name);
    });

    private async Task CompleteAsync(LoadedPlugin plugin, PendingErasure pending, ForgettingOutcome outcome, CancellationToken stopping)
    {
        var summary = SubjectRedaction.RedactOptional(outcome.Summary, pending.SubjectId, pending.SubjectHash);
        ledger.Complete(pending.RequestId, plugin.Name, outcome.Evidence, node.Name, summary);
        logger.LogInformation("Erasure {RequestId} for {SubjectHash} completed by {Forgetter}: {Summary}", pending.RequestId, pending.SubjectHash,
            plugin.Name, summary ?? "forgotten");
        await announcer.AnnounceAsync(pending.RequestId, stopping);
    }

    private async Task RejectAsync(PendingErasure pending, string reason, CancellationToken stopping)
    {
        reason = SubjectRedaction.Redact(reason, pending.SubjectId, pending.SubjectHash);
        ledger.Reject(pending.RequestId, reason, node.Name);
        logger.LogWarning("Erasure {RequestId} for {SubjectHash} rejected: {Reason}", pending.RequestId, pending.SubjectHash, reason);
        await announcer.AnnounceAsync(pending.RequestId, stopping);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the ledger must record a stage before the forgetter moves on.</summary>
    private sealed class SynchronousProgress(Action<ErasureStage> report) : IProgress<ErasureStage>
    {
        public void Report(ErasureStage value) => report(value);
    }
}
