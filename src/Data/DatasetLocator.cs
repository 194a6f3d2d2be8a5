using Pipeline.Data.Corpora;
using Pipeline.Modelling.Data;
namespace Pipeline.Data;

/// <summary>
/// Turns what a user typed for a data set into a records file: an existing JSONL file is used as it is; a known
/// corpus name is taken from the cache, pulled first when it is not there yet.
/// </summary>
public sealed class DatasetLocator(CorpusPuller puller)
{
    /// <summary>A locator over this user's cache and the process's PATH.</summary>
    public static DatasetLocator ForCurrentUser() => new(new CorpusPuller(CorpusCache.ForCurrentUser()));

    /// <summary>Blocking form of <see cref="ResolveAsync"/> over this user's cache, for callers without async.</summary>
    public static string Resolve(string nameOrPath, Action<PullProgress>? progress = null) =>
        ForCurrentUser().ResolveAsync(nameOrPath, progress).GetAwaiter().GetResult();

    /// <summary>The path of the records (JSONL). A file path wins over a corpus of the same name.</summary>
    /// <exception cref="DatasetNotFoundException">Neither a file nor a known corpus.</exception>
    public async Task<string> ResolveAsync(string nameOrPath, Action<PullProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        if (File.Exists(nameOrPath))
            return Path.GetFullPath(nameOrPath);
        if (KnownCorpora.Find(nameOrPath) is null)
            throw new DatasetNotFoundException($"\"{nameOrPath}\" is neither a file nor a known corpus ({KnownCorpora.Names})");
        var pulled = await puller.PullAsync(nameOrPath, force: false, progress, cancellationToken);
        return pulled.RecordsPath;
    }
}
