using System.Text.Json;
using Pipeline.Modelling.Storage;

namespace Pipeline.Modelling.Data;

/// <summary>
/// runs/&lt;run-id&gt;/split.json: the ids of the records a run trained on and validated on, written once when the run
/// starts. Forgetting retrains on exactly these minus the erased ones, whatever happens to the data set afterwards.
/// </summary>
public sealed record RunSplit(IReadOnlyList<string> Train, IReadOnlyList<string> Validation)
{
    public const string FileName = "split.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static RunSplit Of(DatasetSplitResult split) => new(split.Train.Select(r => r.Id).ToList(), split.Validation.Select(r => r.Id).ToList());

    public static RunSplit? TryLoad(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<RunSplit>(File.ReadAllText(path), Json) : null;
    }

    public void Save(string runDirectory) => AtomicFile.WriteAllText(Path.Combine(runDirectory, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>The split without the given record ids (after an erasure).</summary>
    public RunSplit Without(IReadOnlySet<string> ids) => new(Train.Where(id => !ids.Contains(id)).ToList(), Validation.Where(id => !ids.Contains(id)).ToList());
}
