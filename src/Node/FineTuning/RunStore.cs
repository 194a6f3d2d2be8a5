using Pipeline.Modelling.Storage;
using System.Text.Json;
using Pipeline.Contracts.Json;
using Pipeline.Contracts.Runs;

namespace Pipeline.Node.FineTuning;

/// <summary>runs/&lt;run-id&gt;/run.json: written to a temp file then renamed, so a crash leaves the previous state, never half of one.</summary>
public static class RunStore
{
    public const string FileName = RunFile.FileName;

    public static string RunDirectory(string runsDirectory, Guid runId) => Path.Combine(Path.GetFullPath(runsDirectory), runId.ToString("D"));

    public static RunRecord? TryLoad(string runDirectory) => RunFile.TryLoad(runDirectory);

    public static void Save(string runDirectory, RunRecord record)
    {
        Directory.CreateDirectory(runDirectory);
        AtomicFile.WriteAllText(Path.Combine(runDirectory, FileName), JsonSerializer.Serialize(record, SnakeCaseJson.Options));
    }
}
