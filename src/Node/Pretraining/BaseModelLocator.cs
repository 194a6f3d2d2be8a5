using Pipeline.Modelling.Checkpoints;
using Pipeline.Data;
using Pipeline.Data.Corpora;

namespace Pipeline.Node.Pretraining;

/// <summary>
/// Turns a run's BaseModel into a checkpoint folder: "base" is the tiny local model (pretrained on first use and
/// cached by the hash of its inputs and spec); anything else must be a folder with config.json and weights.
/// </summary>
public sealed class BaseModelLocator(BaseModelBuilder builder)
{
    public const string LocalBase = "base";

    /// <summary>$XDG_CACHE_HOME/pipeline/models (or ~/.cache/pipeline/models).</summary>
    public static string CacheRoot => Path.Combine(Path.GetDirectoryName(CorpusCache.DefaultRoot(Environment.GetEnvironmentVariable))!, "models");

    public async Task<string> ResolveAsync(string baseModel, Action<string> progress, CancellationToken cancellationToken)
    {
        if (string.Equals(baseModel, LocalBase, StringComparison.OrdinalIgnoreCase))
            return (await builder.EnsureBuiltAsync(new BaseModelSpec(), progress, cancellationToken)).Folder;

        var folder = Path.GetFullPath(baseModel);
        if (!File.Exists(Path.Combine(folder, CheckpointStore.ConfigFileName)))
            throw new FileNotFoundException($"base model '{baseModel}' is not a checkpoint folder (no {CheckpointStore.ConfigFileName} in {folder}); use \"{LocalBase}\" for the local tiny model");
        return folder;
    }
}
