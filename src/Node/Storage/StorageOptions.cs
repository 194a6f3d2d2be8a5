using Pipeline.Node.Hosting;

namespace Pipeline.Node.Storage;

/// <summary>
/// Configuration section "Storage": the only folders a message may name. A `serve` node acts on paths that arrive over
/// the broker (checkpoints to score or compress, run folders to write, base models and data sets to read); anything
/// outside these folders is refused before a consumer or plugin sees it.
/// </summary>
public sealed class StorageOptions : ICheckedSettings
{
    public const string Section = "Storage";

    /// <summary>
    /// Where runs, checkpoints, scoring samples, compressed copies and reports live: every checkpoint path, run folder
    /// and report path in a message must lie inside it. Relative to the working directory; the default is the default
    /// of `finetune --out`.
    /// </summary>
    public string CheckpointRoot { get; set; } = "runs";

    /// <summary>
    /// More folders messages may name for base models and JSONL data sets (read, never written). The node's own
    /// cache of corpora and pretrained models is always allowed.
    /// </summary>
    public List<string> Roots { get; set; } = [];

    public IEnumerable<(string Key, string Reason)> Problems()
    {
        if (string.IsNullOrWhiteSpace(CheckpointRoot))
            yield return (nameof(CheckpointRoot), "must name a folder");
        for (var i = 0; i < Roots.Count; i++)
            if (string.IsNullOrWhiteSpace(Roots[i]))
                yield return ($"{nameof(Roots)}:{i}", "must name a folder");
    }
}
