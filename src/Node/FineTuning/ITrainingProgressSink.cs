using Pipeline.Modelling.Training;
using Pipeline.Contracts.Runs;

namespace Pipeline.Node.FineTuning;

/// <summary>Where a run's progress goes: the log on a headless node, a progress bar and a table in `pipeline finetune`.</summary>
public interface ITrainingProgressSink
{
    void Message(string line);

    IProgress<TrainingProgress> Training(Guid runId, int epoch, int epochs);

    void EpochDone(Guid runId, EpochRecord epoch);
}
