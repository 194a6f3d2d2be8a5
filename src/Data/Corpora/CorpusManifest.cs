namespace Pipeline.Data.Corpora;

/// <summary>A downloaded package file: its SHA-256 and how it was checked against the registry.</summary>
public sealed record DownloadedFile(string FileName, long SizeBytes, string Sha256, string Verification);

/// <summary>
/// manifest.json beside a cached corpus's records.jsonl: where the records came from (package, version, file hash
/// and how it was verified), what they are, and a hash of records.jsonl itself so later changes are detectable.
/// </summary>
public sealed record CorpusManifest(
    string Name,
    PackageRegistry Registry,
    string Package,
    string Version,
    IReadOnlyList<DownloadedFile> Files,
    string Layout,
    int RecordCount,
    int SubjectCount,
    long RecordsBytes,
    string RecordsSha256,
    IReadOnlyDictionary<string, int> Skipped,
    DateTimeOffset PulledAt);
