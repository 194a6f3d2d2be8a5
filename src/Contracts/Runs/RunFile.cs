using System.Text.Json;
using Pipeline.Contracts.Json;

namespace Pipeline.Contracts.Runs;

/// <summary>Where a run's record lives (RUN/run.json) and how it is read; the node alone writes it (atomically).</summary>
public static class RunFile
{
    public const string FileName = "run.json";

    /// <summary>The run's record, or null when the folder holds none; a malformed file is an <see cref="InvalidDataException"/> naming it.</summary>
    public static RunRecord? TryLoad(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), SnakeCaseJson.Options);
        }
        catch (JsonException bad)
        {
            throw new InvalidDataException($"{path}: unreadable run record ({bad.Message})", bad);
        }
    }
}
