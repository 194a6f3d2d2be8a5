using Pipeline.Contracts.Plugins;

namespace Pipeline.TestPlugins;

/// <summary>
/// Walks through every stage; refuses the subject "refuse-me". Subjects starting "echo-refuse:" are refused, and those
/// starting "echo-done:" forgotten, with a text that repeats the subject id, as a careless plugin might.
/// The subject "pause-after:STAGE:FILE" reports the stages up
/// to STAGE (Received: none), then waits while FILE exists before going on — so a test can kill the process at that
/// ledger state, remove the file and restart it.
/// </summary>
public sealed class RecordingForgetter : IForgetter
{
    public const string RefusedSubject = "refuse-me";
    public const string PausePrefix = "pause-after:";
    public const string EchoRefusePrefix = "echo-refuse:";
    public const string EchoDonePrefix = "echo-done:";

    public string Name => "recording-forgetter";

    public async Task<ForgettingOutcome> ForgetAsync(ErasureJob job, IProgress<ErasureStage> progress, CancellationToken cancellationToken)
    {
        if (job.SubjectId == RefusedSubject)
            return ForgettingOutcome.Refused("subject refused by the test forgetter");
        if (job.SubjectId.StartsWith(EchoRefusePrefix, StringComparison.Ordinal))
            return ForgettingOutcome.Refused($"no records of {job.SubjectId} in {job.DatasetId}");
        if (job.SubjectId.StartsWith(EchoDonePrefix, StringComparison.Ordinal))
            return ForgettingOutcome.Done(new Dictionary<string, double> { ["records_forgotten"] = job.RecordIds.Count }, $"forgot {job.SubjectId.ToUpperInvariant()}");
        var (pauseAfter, pauseFile) = job.SubjectId.StartsWith(PausePrefix, StringComparison.Ordinal) && job.SubjectId.Split(':', 3) is [_, var pauseStage, var file]
            ? (pauseStage, file) : (null, null);
        if (pauseAfter == "Received")
            await WhileExists(pauseFile!, cancellationToken);
        foreach (var stage in new[] { ErasureStage.DataRemoved, ErasureStage.ModelUnlearned, ErasureStage.Verified })
        {
            progress.Report(stage);
            if (pauseAfter == stage.ToString())
                await WhileExists(pauseFile!, cancellationToken);
        }
        return ForgettingOutcome.Done(new Dictionary<string, double> { ["records_forgotten"] = job.RecordIds.Count });
    }

    private static async Task WhileExists(string file, CancellationToken cancellationToken)
    {
        while (File.Exists(file))
            await Task.Delay(100, cancellationToken);
    }
}
