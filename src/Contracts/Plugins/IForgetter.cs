namespace Pipeline.Contracts.Plugins;

/// <summary>
/// Role: carry out an erasure and return the evidence that the subject is forgotten. Report each stage reached
/// through progress so the host's ledger records it with its time.
/// </summary>
public interface IForgetter : IPipelinePlugin
{
    Task<ForgettingOutcome> ForgetAsync(ErasureJob job, IProgress<ErasureStage> progress, CancellationToken cancellationToken);
}
