using Microsoft.Extensions.Logging;
using Pipeline.Modelling.Training;
using Pipeline.Contracts.Runs;

namespace Pipeline.Node.FineTuning;

/// <summary>Headless progress: a log line per tenth of an epoch and one per finished epoch.</summary>
public sealed class LoggingProgressSink(ILogger<LoggingProgressSink> logger) : ITrainingProgressSink
{
    public void Message(string line) => logger.LogInformation("{Line}", line);

    public IProgress<TrainingProgress> Training(Guid runId, int epoch, int epochs) => SynchronousProgress.Of(p =>
    {
        var tenth = Math.Max(1, p.StepsInEpoch / 10);
        if (p.StepInEpoch % tenth == 0 || p.StepInEpoch == p.StepsInEpoch)
            logger.LogInformation("Run {RunId} epoch {Epoch}/{Epochs} step {Step}/{Steps} loss {Loss:0.000} lr {LearningRate:0.#####}",
                runId, epoch, epochs, p.StepInEpoch, p.StepsInEpoch, p.Loss, p.LearningRate);
    });

    public void EpochDone(Guid runId, EpochRecord epoch) =>
        logger.LogInformation("Run {RunId} epoch {Epoch}: train loss {Train:0.000}, val loss {Val:0.000} (ppl {Ppl:0.0}), {Seconds:0.0} s",
            runId, epoch.Epoch, epoch.TrainLoss, epoch.ValLoss, Math.Exp(epoch.ValLoss), epoch.Seconds);
}
