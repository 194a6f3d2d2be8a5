using System.Text.Json;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Storage;

namespace Pipeline.Plugins.Unlearning;

/// <summary>
/// One run that held the subject: where it is, its data set, which of the subject's records it trained on, and which
/// it held out for validation (never trained on: the fairest non-members to compare the forgotten ones with).
/// </summary>
public sealed record AffectedRun(string RunDirectory, string DatasetPath, IReadOnlyList<string> TrainedIds)
{
    public IReadOnlyList<string> HeldOutIds { get; init; } = [];
}

/// <summary>A data set file and the ids of the subject's records in it (ids are unique within a file, not across files).</summary>
public sealed record HeldDataset(string Path, IReadOnlyList<string> Ids);

/// <summary>
/// What an erasure will do, written before anything is erased (RunsDirectory/.erasures/REQUEST.json): the subject's
/// records (kept only so the forgetting can be verified on them; the file is deleted when the erasure ends) and the runs
/// they were in. A crash after the data is gone resumes from the plan, not from data that no longer holds the subject.
/// </summary>
public sealed record ErasurePlan(Guid RequestId, IReadOnlyList<TextRecord> Records, IReadOnlyList<HeldDataset> Datasets, IReadOnlyList<AffectedRun> Runs)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string PathFor(string runsDirectory, Guid requestId) => Path.Combine(runsDirectory, ".erasures", $"{requestId:D}.json");

    public static ErasurePlan? TryLoad(string runsDirectory, Guid requestId)
    {
        var path = PathFor(runsDirectory, requestId);
        return File.Exists(path) ? JsonSerializer.Deserialize<ErasurePlan>(File.ReadAllText(path), Json) : null;
    }

    public void Save(string runsDirectory)
    {
        var path = PathFor(runsDirectory, RequestId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }

    public static void Delete(string runsDirectory, Guid requestId) => File.Delete(PathFor(runsDirectory, requestId));
}
