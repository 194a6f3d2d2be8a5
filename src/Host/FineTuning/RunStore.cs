using Pipeline.Modelling.Storage;
using System.Text.Json;
using Pipeline.Host.Cli;

namespace Pipeline.Host.FineTuning;

/// <summary>runs/&lt;run-id&gt;/run.json: written to a temp file then renamed, so a crash leaves the previous state, never half of one.</summary>
public static class RunStore
{
    public const string FileName = "run.json";

    public static string RunDirectory(string runsDirectory, Guid runId) => Path.Combine(Path.GetFullPath(runsDirectory), runId.ToString("D"));

    public static RunRecord? TryLoad(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), CliOutput.Json) : null;
    }

    public static void Save(string runDirectory, RunRecord record)
    {
        Directory.CreateDirectory(runDirectory);
        AtomicFile.WriteAllText(Path.Combine(runDirectory, FileName), JsonSerializer.Serialize(record, CliOutput.Json));
    }
}
