namespace Pipeline.Modelling.Memorisation;

/// <summary>
/// Means over the scored records of one side: the verbatim rate (share memorised verbatim), the token match and the
/// n-gram score. With nothing scored the means are 0 (not NaN, which JSON cannot carry); <see cref="Scored"/> says so.
/// <see cref="Skipped"/> counts records too short to score.
/// </summary>
public sealed record MemorisationSummary(double VerbatimRate, double TokenMatch, double NgramScore, int Scored, int Skipped)
{
    public static MemorisationSummary Of(IEnumerable<ScoredRecord> records, int skipped)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfNegative(skipped);
        int scored = 0, verbatim = 0;
        double tokenMatch = 0, ngram = 0;
        foreach (var record in records)
        {
            scored++;
            if (record.Verbatim) verbatim++;
            tokenMatch += record.TokenMatch;
            ngram += record.NgramScore;
        }
        return scored == 0
            ? new MemorisationSummary(0, 0, 0, 0, skipped)
            : new MemorisationSummary((double)verbatim / scored, tokenMatch / scored, ngram / scored, scored, skipped);
    }
}
