using Microsoft.Extensions.Options;
using Pipeline.Data;
using Pipeline.Data.Corpora;
using Pipeline.Node.Pretraining;

namespace Pipeline.Node.Storage;

/// <summary>
/// The folders of StorageOptions as real paths, and the questions the path validators ask of them. Resolved when asked,
/// not once: a root that is created (or re-linked) after start-up is judged as it is now.
/// </summary>
public sealed class StorageRoots(IOptions<StorageOptions> options, IEnumerable<TrustedFolder> trusted)
{
    /// <summary>Storage:CheckpointRoot and the trusted folders that hold checkpoints (the run-forgetter's, an in-process run's --out).</summary>
    public IEnumerable<string> CheckpointRoots =>
        new[] { options.Value.CheckpointRoot }
            .Concat(trusted.Where(f => f.HoldsCheckpoints).Select(f => f.Path))
            .Where(root => root.Length > 0)
            .Select(RealPath.Of)
            .Distinct();

    /// <summary>Where base models and data sets may be read: the checkpoint roots, Storage:Roots, this node's caches and the command line's folders.</summary>
    public IEnumerable<string> ReadRoots =>
        new[] { CorpusCache.DefaultRoot(Environment.GetEnvironmentVariable), BaseModelLocator.CacheRoot }
            .Concat(options.Value.Roots)
            .Concat(trusted.Where(f => !f.HoldsCheckpoints).Select(f => f.Path))
            .Where(root => root.Length > 0)
            .Select(RealPath.Of)
            .Concat(CheckpointRoots);

    /// <summary>The path lies inside a checkpoint root (false for text that is no path at all).</summary>
    public bool InCheckpointRoot(string? path) => Inside(path, CheckpointRoots);

    /// <summary>A base model is the local "base" model or a folder inside a read root.</summary>
    public bool MayReadBaseModel(string? baseModel) =>
        string.Equals(baseModel, BaseModelLocator.LocalBase, StringComparison.OrdinalIgnoreCase) || Inside(baseModel, ReadRoots);

    /// <summary>
    /// A data set is a known corpus's name or a file inside a read root. A file of a corpus's name wins over the corpus
    /// (DatasetLocator), so such a name is judged as the path it is.
    /// </summary>
    public bool MayReadDataset(string? dataset) =>
        dataset is not null && ((KnownCorpora.Find(dataset) is not null && !File.Exists(dataset)) || Inside(dataset, ReadRoots));

    private static bool Inside(string? path, IEnumerable<string> roots)
    {
        if (string.IsNullOrEmpty(path))
            return false;
        string real;
        try
        {
            real = RealPath.Of(path);
        }
        catch (ArgumentException)
        {
            return false;
        }
        return roots.Any(root => RealPath.IsInside(real, root));
    }
}
