namespace Pipeline.Modelling.Memorisation;

/// <summary>
/// The scores of one side's records, in the order the records were given (skipped records left out), and how many
/// were skipped (and which) for being too short.
/// </summary>
public sealed record MemorisationResult(IReadOnlyList<ScoredRecord> Records, int Skipped, IReadOnlyList<string> SkippedIds)
{
    public MemorisationSummary Summary => MemorisationSummary.Of(Records, Skipped);
}
