namespace Pipeline.Contracts.Plugins;

/// <summary>Role: from a run's metric history, decide whether to stop training or change the regularisation.</summary>
public interface ITrainingPolicy : IPipelinePlugin
{
    Task<TrainingDecision> DecideAsync(RunHistory history, CancellationToken cancellationToken);
}
