using System.Text.Json;
using Pipeline.Modelling.Storage;
using Pipeline.Data.Packages;
using Pipeline.Modelling.Data;

namespace Pipeline.Data.Corpora;

/// <summary>
/// A pull in progress: downloads and unpacking happen in <see cref="WorkFolder"/>; <see cref="Commit"/> writes the
/// records and manifest and moves the folder into the cache. Disposing without committing removes everything.
/// </summary>
internal sealed class CorpusStaging(CorpusCache cache, string name, string folder) : IDisposable
{
    private bool _committed;

    public string Folder { get; } = folder;

    public string WorkFolder { get; } = Directory.CreateDirectory(Path.Combine(folder, "work")).FullName;

    public CorpusManifest Commit(IReadOnlyList<TextRecord> records, Func<int, long, string, CorpusManifest> manifestFor)
    {
        var recordsPath = Path.Combine(Folder, CorpusCache.RecordsFileName);
        JsonlDataset.Write(recordsPath, records);
        var manifest = manifestFor(records.Select(r => r.SubjectId).Distinct(StringComparer.Ordinal).Count(),
            new FileInfo(recordsPath).Length, PackageIntegrity.Sha256Hex(recordsPath));
        AtomicFile.Write(Path.Combine(Folder, CorpusCache.ManifestFileName), stream => JsonSerializer.Serialize(stream, manifest, CorpusCache.ManifestJson));
        Directory.Delete(WorkFolder, recursive: true);
        cache.Install(name, Folder);
        _committed = true;
        return manifest;
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(Folder))
            Directory.Delete(Folder, recursive: true);
    }
}
