using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pipeline.Host.FineTuning;

/// <summary>Runs the recorded fine-tuning runs of this node, one at a time (a run uses every core it is given).</summary>
public sealed class FineTuneWorker(FineTuneQueue queue, FineTuneRunner runner, ILogger<FineTuneWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var runDirectory in queue.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await runner.RunAsync(runDirectory, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Run in {RunDirectory} interrupted by shutdown; it resumes from its last finished epoch when requested again", runDirectory);
                    throw;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
