using Pipeline.Contracts.Runs;
using Pipeline.Contracts.Plugins;
using Pipeline.Modelling.Data;

namespace Pipeline.Plugins.Unlearning;

/// <summary>
/// Finds what Pipeline holds of a subject: in the data set files of the completed runs under the runs folder (a run's
/// training data set and its separate validation file, when it had one), the records whose subject_id is the subject's
/// (only those named, when the request names records; only in the named data set, when it names one: by path, or by
/// file name with or without its extension).
/// </summary>
public static class SubjectSearch
{
    public static ErasurePlan Plan(ErasureJob job, string runsDirectory)
    {
        var runs = Directory.Exists(runsDirectory)
            ? Directory.GetDirectories(runsDirectory).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal)
                .Select(d => (Directory: d, Run: RunFile.TryLoad(d), Split: RunSplit.TryLoad(d)))
                .Where(r => r.Run is { Status: RunStatus.Completed, DatasetPath: not null }).ToList()
            : [];
        var named = job.RecordIds.ToHashSet(StringComparer.Ordinal);
        var records = new Dictionary<string, TextRecord>(StringComparer.Ordinal);
        var held = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal); // data set → the subject's ids in it
        foreach (var dataset in runs.SelectMany(r => FilesOf(r.Run!, r.Split)).Distinct())
        {
            if ((job.DatasetId is { } wanted && !Names(dataset).Contains(wanted)) || !File.Exists(dataset))
                continue; // not the data set asked for, or erased by the user: nothing of it is held any more
            var subjects = JsonlDataset.Read(dataset).Where(r => r.SubjectId == job.SubjectId && (named.Count == 0 || named.Contains(r.Id))).ToList();
            if (subjects.Count == 0)
                continue;
            held[dataset] = subjects.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var record in subjects)
                records.TryAdd($"{dataset}\n{record.Id}", record);
        }

        var affected = new List<AffectedRun>();
        foreach (var (directory, run, split) in runs)
        {
            var files = FilesOf(run!, split).Where(held.ContainsKey).ToList();
            if (files.Count == 0)
                continue;
            var trainFile = Path.GetFullPath(run!.DatasetPath!);
            var trainIds = held.GetValueOrDefault(trainFile) ?? [];
            var validationIds = held.GetValueOrDefault(split?.ValidationDatasetPath ?? trainFile) ?? [];
            var trained = split is null ? trainIds.ToList() : split.Train.Where(trainIds.Contains).ToList();
            affected.Add(new AffectedRun(directory, trainFile, trained) { HeldOutIds = split?.Validation.Where(validationIds.Contains).ToList() ?? [] });
        }
        return new ErasurePlan(job.RequestId, records.Values.ToList(), held.Select(h => new HeldDataset(h.Key, h.Value.Order(StringComparer.Ordinal).ToList())).ToList(), affected);
    }

    private static IEnumerable<string> FilesOf(RunRecord run, RunSplit? split) =>
        new[] { run.DatasetPath, split?.ValidationDatasetPath }.OfType<string>().Select(Path.GetFullPath).Distinct();

    private static IReadOnlySet<string> Names(string path) =>
        new HashSet<string>(StringComparer.Ordinal) { path, Path.GetFileName(path), Path.GetFileNameWithoutExtension(path) };
}
