using Pipeline.Modelling.Memorisation;

namespace Pipeline.Plugins.Memorisation;

/// <summary>Plugins:Settings:memorisation: the memorisation cut (P, S), the n-gram sizes, the decode batch and the device.</summary>
public sealed class MemorisationScorerSettings
{
    private static readonly MemorisationSettings Defaults = new();

    public int PrefixTokens { get; set; } = Defaults.PrefixTokens;
    public int SuffixTokens { get; set; } = Defaults.SuffixTokens;
    public int BatchSize { get; set; } = Defaults.BatchSize;

    /// <summary>Comma-separated n (for example "2,3,4").</summary>
    public string NgramSizes { get; set; } = string.Join(",", Defaults.NgramSizes);

    public string Device { get; set; } = "cpu";
}
