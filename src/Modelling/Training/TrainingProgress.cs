namespace Pipeline.Modelling.Training;

/// <summary>Reported after every optimizer step.</summary>
public sealed record TrainingProgress(
    int Epoch, long Step, int StepInEpoch, int StepsInEpoch, double Loss, double LearningRate, double GradientNorm, long Tokens);
