using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Node.Hosting;

namespace Pipeline.Node.FineTuning;

/// <summary>
/// Runs the recorded fine-tuning runs of this node, one at a time (a run uses every core it is given). On shutdown
/// (SIGTERM) it lets the epoch in progress finish, be checkpointed and announced, for up to FineTune:StopGraceSeconds;
/// past that the epoch is cut short at its next step. Either way the run stays on disk and resumes from its last
/// checkpoint when its StartFineTune is delivered again. It is registered after the bus, so it stops before the bus
/// does and the last epoch's events can still go out.
/// </summary>
public sealed class FineTuneWorker(FineTuneQueue queue, IEnumerable<IUnfinishedWork<string>> unfinished, FineTuneRunner runner,
    IOptions<FineTuneOptions> options, ILogger<FineTuneWorker> logger)
    : DurableWorker<string>(queue, unfinished, logger)
{
    protected override string Describe(string runDirectory) =>
        $"Run in {runDirectory} (it resumes from its last checkpoint: a finished epoch, or the step an epoch paused at)";

    protected override Task CarryOutAsync(string runDirectory, WorkQueue<string> queue, CancellationToken stoppingToken) =>
        runner.RunAsync(runDirectory, stoppingToken, StopTaking);

    /// <summary>The epoch in progress sees StopTaking and may finish, be checkpointed and announced within the grace.</summary>
    protected override async Task GraceAsync(CancellationToken cancellationToken)
    {
        var grace = TimeSpan.FromSeconds(Math.Max(0, options.Value.StopGraceSeconds));
        if (ExecuteTask is { IsCompleted: false } running && grace > TimeSpan.Zero)
        {
            logger.LogInformation("Stopping: the epoch in progress, if any, may finish and be checkpointed within {Grace}", grace);
            try
            {
                await running.WaitAsync(grace, cancellationToken);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                logger.LogWarning("The epoch in progress did not finish within {Grace}: cut short, it is trained again on resume", grace);
            }
        }
    }
}
