namespace Pipeline.Modelling.Data;

/// <summary>
/// Erases records from a JSONL data set file: their ids are tombstoned first (so even a crash half-way leaves them
/// excluded from every later read), then the file is rewritten without them (temp file, then rename).
/// </summary>
public static class DatasetErasure
{
    /// <summary>Removes the records with these ids; returns how many the file still held.</summary>
    public static int Erase(string datasetPath, IReadOnlyCollection<string> recordIds)
    {
        var tombstones = Tombstones.For(datasetPath);
        tombstones.Add(recordIds);
        tombstones.Save();
        var ids = recordIds.ToHashSet(StringComparer.Ordinal);
        var all = JsonlDataset.ReadAll(datasetPath);
        var kept = all.Where(r => !ids.Contains(r.Id)).ToList();
        if (kept.Count != all.Count)
            JsonlDataset.Write(datasetPath, kept);
        return all.Count - kept.Count;
    }
}
