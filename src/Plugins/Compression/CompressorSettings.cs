namespace Pipeline.Plugins.Compression;

/// <summary>Plugins:Settings:compressor. Left out, Sparsity, Scope, Criterion and FineTuneEpochs keep the method's defaults.</summary>
public sealed class CompressorSettings
{
    /// <summary>Any method of `pipeline compress` (int8, fp16, magnitude, ...).</summary>
    public string Method { get; set; } = "int8";

    /// <summary>Comma-separated checkpoint kinds compressed (best, unlearned, epoch).</summary>
    public string Kinds { get; set; } = "best,unlearned";
    public double? Sparsity { get; set; }

    /// <summary>global or layer.</summary>
    public string? Scope { get; set; }

    /// <summary>neurons and heads: magnitude, random, obd or taylor.</summary>
    public string? Criterion { get; set; }
    public int? FineTuneEpochs { get; set; }
    public string Device { get; set; } = "cpu";

    public HashSet<string> KindSet() => Kinds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}
