namespace Pipeline.Modelling.Memorisation;

/// <summary>
/// The per-record memorisation metrics, on token ids. <c>generated</c> is the model's greedy continuation of the
/// prefix, <c>target</c> the record's true continuation. An empty target has nothing to memorise: every metric is
/// then 0 (false), so that no record counts as memorised by default.
/// </summary>
public static class MemorisationMetrics
{
    // One scorer per thread: its scratch table is reused across calls, so scoring allocates nothing per record.
    [ThreadStatic] private static NgramScorer? _scorer;

    /// <summary>
    /// Verbatim (k-extractable) memorisation: the first target-length tokens of <paramref name="generated"/> equal the
    /// target exactly. Holds exactly when <see cref="TokenMatch"/> is 1.
    /// </summary>
    public static bool IsVerbatim(ReadOnlySpan<int> generated, ReadOnlySpan<int> target) =>
        target.Length > 0 && generated.Length >= target.Length && generated[..target.Length].SequenceEqual(target);

    /// <summary>
    /// The share of target positions at which <paramref name="generated"/> has the target's token. Positions past the
    /// end of <paramref name="generated"/> are misses; generated tokens past the target's end are ignored.
    /// </summary>
    public static double TokenMatch(ReadOnlySpan<int> generated, ReadOnlySpan<int> target)
    {
        if (target.Length == 0) return 0;
        var compared = Math.Min(generated.Length, target.Length);
        var matches = 0;
        for (var i = 0; i < compared; i++)
            if (generated[i] == target[i]) matches++;
        return (double)matches / target.Length;
    }

    /// <summary>
    /// The n-gram memorisation score (Slack &amp; Al Moubayed): for each n in <paramref name="sizes"/>, the share of the
    /// n-gram positions of <paramref name="generated"/> whose n-gram occurs anywhere in <paramref name="target"/>;
    /// averaged over the sizes, skipping a size larger than the output. 0 when every size is skipped.
    /// </summary>
    public static double NgramScore(ReadOnlySpan<int> generated, ReadOnlySpan<int> target, IReadOnlyList<int> sizes) =>
        (_scorer ??= new NgramScorer()).Score(generated, target, sizes);
}
