namespace Pipeline.Contracts.Plugins;

/// <summary>A training policy's verdict: carry on, stop, or train on with another regularisation strength.</summary>
public abstract record TrainingDecision
{
    public static readonly TrainingDecision Continue = new ContinueTraining();

    public sealed record ContinueTraining : TrainingDecision;

    public sealed record Stop(string Reason) : TrainingDecision;

    public sealed record Regularise(double Lambda, string Reason) : TrainingDecision;
}
