using Pipeline.Contracts.Plugins;

namespace Pipeline.TestPlugins;

/// <summary>Raises lambda by 0.1 each epoch, then stops at epoch 3.</summary>
public sealed class StopAtThreePolicy : ITrainingPolicy
{
    public string Name => "stop-at-three";

    public Task<TrainingDecision> DecideAsync(RunHistory history, CancellationToken cancellationToken)
    {
        var last = history.Epochs[^1];
        TrainingDecision decision = last.Epoch >= 3
            ? new TrainingDecision.Stop($"epoch {last.Epoch} reached after {history.Epochs.Count} scored epochs")
            : new TrainingDecision.Regularise(history.CurrentLambda + 0.1, $"epoch {last.Epoch}");
        return Task.FromResult(decision);
    }
}
