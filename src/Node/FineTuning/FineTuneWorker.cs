using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pipeline.Node.FineTuning;

/// <summary>
/// Runs the recorded fine-tuning runs of this node, one at a time (a run uses every core it is given). On shutdown
/// (SIGTERM) it lets the epoch in progress finish, be checkpointed and announced, for up to FineTune:StopGraceSeconds;
/// past that the epoch is cut short at its next step. Either way the run stays on disk and resumes from its last
/// checkpoint when its StartFineTune is delivered again. It is registered after the bus, so it stops before the bus
/// does and the last epoch's events can still go out.
/// </summary>
public sealed class FineTuneWorker(FineTuneQueue queue, FineTuneRunner runner, IOptions<FineTuneOptions> options, ILogger<FineTuneWorker> logger)
    : BackgroundService
{
    private readonly CancellationTokenSource _finishEpochThenStop = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _finishEpochThenStop.Token);
        try
        {
            await foreach (var runDirectory in queue.ReadAllAsync(reading.Token))
            {
                try
                {
                    await runner.RunAsync(runDirectory, stoppingToken, _finishEpochThenStop.Token);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Run in {RunDirectory} interrupted by shutdown; it resumes from its last checkpoint (a finished epoch, or the step an epoch paused at)", runDirectory);
                    throw;
                }
                catch (Exception failure)
                {
                    // An unreadable run.json, say: that run is the problem, not the node (an escaping exception stops the host).
                    logger.LogError(failure, "Run in {RunDirectory} could not be run: {Reason}", runDirectory, failure.Message);
                }
                if (_finishEpochThenStop.IsCancellationRequested)
                    return;
            }
        }
        catch (OperationCanceledException) when (reading.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _finishEpochThenStop.Cancel();
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
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _finishEpochThenStop.Dispose();
        base.Dispose();
    }
}
