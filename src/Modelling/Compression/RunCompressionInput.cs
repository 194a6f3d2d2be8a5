using Pipeline.Modelling.Data;
using Pipeline.Modelling.Training;

namespace Pipeline.Modelling.Compression;

/// <summary>
/// The records and training settings to compress a run's checkpoint with: the run's own (RUN/split.json names its data
/// set, its training and validation ids and its batching) when the checkpoint lies in RUN/checkpoints/NAME or
/// RUN/unlearned/NAME.
/// </summary>
public static class RunCompressionInput
{
    /// <summary>Null when the checkpoint is not a run's, or its run does not record its data (runs older than split.json's data path).</summary>
    public static (CompressionData Data, TrainingOptions Training)? ForCheckpoint(string checkpointFolder)
    {
        var runDirectory = Path.GetFullPath(Path.Combine(checkpointFolder, "..", ".."));
        if (RunSplit.TryLoad(runDirectory) is not { DatasetPath: { } datasetPath } split || !File.Exists(datasetPath))
            return null;
        var (train, validation) = split.Records();
        var sample = split.TrainSample is { } samplePath && File.Exists(samplePath) ? JsonlDataset.Read(samplePath) : null;
        return (new CompressionData(train, validation, sample),
            new TrainingOptions { Epochs = 1, BatchSize = split.BatchSize, ContextLength = split.ContextLength, LearningRate = split.LearningRate, Seed = split.Seed });
    }
}
