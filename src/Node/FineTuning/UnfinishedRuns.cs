using Microsoft.Extensions.Logging;
using Pipeline.Node.Hosting;
using Pipeline.Node.Storage;
using Pipeline.Contracts.Runs;

namespace Pipeline.Node.FineTuning;

/// <summary>
/// When `serve` starts, queues again the runs this node (same Node:Name) left unfinished: killed mid-epoch, stopped
/// for shutdown, recorded but not started yet, or ended without the end announced. Their StartFineTune was acknowledged long ago (training outlasts
/// RabbitMQ's consumer timeout), so without this a crashed node's runs would wait for someone to send it again. Looks
/// for run.json in the checkpoint roots and one folder below them (ROOT/RUN-ID, ROOT/RUNS/RUN-ID). Runs of other
/// nodes are left to them, and suspended runs (storage full) wait for their StartFineTune, sent once there is room.
/// Only `serve` does this: an in-process `finetune` runs what its command line asks and nothing else.
/// </summary>
public sealed class UnfinishedRuns(StorageRoots roots, NodeIdentity node, ILogger<UnfinishedRuns> logger) : IUnfinishedWork<string>
{
    public Task TakeUpAsync(WorkQueue<string> queue, CancellationToken cancellationToken)
    {
        foreach (var (directory, run) in Unfinished())
        {
            logger.LogInformation("Run {RunId} was left unfinished by this node ({Node}): it resumes after epoch {Epoch}",
                run.Request.RunId, node.Name, run.LastCompletedEpoch);
            queue.Enqueue(directory);
        }
        return Task.CompletedTask;
    }

    private IEnumerable<(string Directory, RunRecord Run)> Unfinished() =>
        roots.CheckpointRoots.Where(Directory.Exists)
            .SelectMany(root => RunFiles(root))
            .Distinct()
            .OrderBy(File.GetLastWriteTimeUtc)
            .Select(file => (Directory: Path.GetDirectoryName(file)!, Run: TryLoad(file)))
            .Where(r => r.Run is { Status: RunStatus.Running } or { Status: RunStatus.Completed or RunStatus.Failed, OutcomePending: true })
            .Where(r => r.Run!.Node == node.Name)
            .Select(r => (r.Directory, r.Run!));

    private static IEnumerable<string> RunFiles(string root) =>
        Directory.EnumerateFiles(root, RunStore.FileName, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2, IgnoreInaccessible = true });

    private RunRecord? TryLoad(string file)
    {
        try
        {
            return RunStore.TryLoad(Path.GetDirectoryName(file)!);
        }
        catch (Exception unreadable) when (unreadable is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            logger.LogWarning("{File} is not a readable run record ({Reason}); not resumed", file, unreadable.Message);
            return null;
        }
    }
}
