namespace Pipeline.Modelling.Memorisation;

/// <summary>
/// How records are cut into a prefix and a target, which n-gram sizes the n-gram score averages over, and how many
/// records are decoded together.
/// </summary>
public sealed record MemorisationSettings
{
    /// <summary>P: the prefix length of text records, and the most prompt tokens of a pair (its last P are kept).</summary>
    public int PrefixTokens { get; init; } = 32;

    /// <summary>S: the target length of text records, and the most response tokens of a pair (its first S are kept).</summary>
    public int SuffixTokens { get; init; } = 32;

    /// <summary>N: the n-gram sizes averaged by the n-gram memorisation score.</summary>
    public IReadOnlyList<int> NgramSizes { get; init; } = [2, 3, 4];

    /// <summary>Records decoded in one batch (records of equal prefix length only).</summary>
    public int BatchSize { get; init; } = 32;

    public void Validate()
    {
        if (PrefixTokens < 1) throw new ArgumentException("PrefixTokens must be at least 1");
        if (SuffixTokens < 1) throw new ArgumentException("SuffixTokens must be at least 1");
        if (NgramSizes is null || NgramSizes.Count == 0) throw new ArgumentException("NgramSizes must name at least one size");
        if (NgramSizes.Any(n => n < 1)) throw new ArgumentException("NgramSizes must all be at least 1");
        // A repeated size would silently weigh that size twice in the average.
        if (NgramSizes.Distinct().Count() != NgramSizes.Count) throw new ArgumentException("NgramSizes must not repeat a size");
        if (BatchSize < 1) throw new ArgumentException("BatchSize must be at least 1");
    }
}
