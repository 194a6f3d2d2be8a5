using Pipeline.Contracts.Plugins;
using Pipeline.Modelling.Data;

namespace Pipeline.Plugins.Unlearning;

/// <summary>
/// Finds what Pipeline holds of a subject: in the data sets of the completed runs under the runs folder, the records
/// whose subject_id is the subject's (only those named, when the request names records; only in the named data set,
/// when it names one: by path, or by file name with or without its extension).
/// </summary>
public static class SubjectSearch
{
    public static ErasurePlan Plan(ErasureJob job, string runsDirectory)
    {
        var runs = Directory.Exists(runsDirectory)
            ? Directory.GetDirectories(runsDirectory).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal)
                .Select(d => (Directory: d, Run: RunView.TryLoad(d))).Where(r => r.Run is { Completed: true, DatasetPath: not null }).ToList()
            : [];
        var named = job.RecordIds.ToHashSet(StringComparer.Ordinal);
        var records = new Dictionary<string, TextRecord>(StringComparer.Ordinal);
        var datasets = new List<string>();
        var affected = new List<AffectedRun>();
        foreach (var group in runs.GroupBy(r => Path.GetFullPath(r.Run!.DatasetPath!)))
        {
            if (job.DatasetId is { } wanted && !Names(group.Key).Contains(wanted))
                continue;
            if (!File.Exists(group.Key))
                continue; // erased by the user; nothing of it is held any more
            var subjects = JsonlDataset.Read(group.Key)
                .Where(r => r.SubjectId == job.SubjectId && (named.Count == 0 || named.Contains(r.Id))).ToList();
            if (subjects.Count == 0)
                continue;
            datasets.Add(group.Key);
            foreach (var record in subjects)
                records.TryAdd($"{group.Key}\n{record.Id}", record);
            var ids = subjects.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var (directory, _) in group)
            {
                var split = RunSplit.TryLoad(directory);
                var trained = split is null ? ids.ToList() : split.Train.Where(ids.Contains).ToList();
                affected.Add(new AffectedRun(directory, group.Key, trained) { HeldOutIds = split?.Validation.Where(ids.Contains).ToList() ?? [] });
            }
        }
        return new ErasurePlan(job.RequestId, records.Values.ToList(), datasets, affected);
    }

    private static IReadOnlySet<string> Names(string path) =>
        new HashSet<string>(StringComparer.Ordinal) { path, Path.GetFileName(path), Path.GetFileNameWithoutExtension(path) };
}
