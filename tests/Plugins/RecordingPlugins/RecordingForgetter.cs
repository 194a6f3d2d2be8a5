using Pipeline.Contracts.Plugins;

namespace Pipeline.TestPlugins;

/// <summary>Walks through every stage; refuses the subject "refuse-me".</summary>
public sealed class RecordingForgetter : IForgetter
{
    public const string RefusedSubject = "refuse-me";

    public string Name => "recording-forgetter";

    public Task<ForgettingOutcome> ForgetAsync(ErasureJob job, IProgress<ErasureStage> progress, CancellationToken cancellationToken)
    {
        if (job.SubjectId == RefusedSubject)
            return Task.FromResult(ForgettingOutcome.Refused("subject refused by the test forgetter"));
        progress.Report(ErasureStage.DataRemoved);
        progress.Report(ErasureStage.ModelUnlearned);
        progress.Report(ErasureStage.Verified);
        return Task.FromResult(ForgettingOutcome.Done(new Dictionary<string, double> { ["records_forgotten"] = job.RecordIds.Count }));
    }
}
