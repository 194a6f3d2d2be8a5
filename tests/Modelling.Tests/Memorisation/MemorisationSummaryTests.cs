using Pipeline.Modelling.Memorisation;

namespace Pipeline.Modelling.Tests.Memorisation;

public sealed class MemorisationSummaryTests
{
    private static ScoredRecord Record(bool verbatim, double tokenMatch, double ngram) =>
        new("r", "s", MemorisationSide.Trained, verbatim, tokenMatch, ngram, 32, 32);

    [Fact]
    public void The_summary_is_the_mean_of_each_metric_over_the_scored_records()
    {
        var summary = MemorisationSummary.Of([Record(true, 1.0, 1.0), Record(false, 0.5, 0.25), Record(false, 0.0, 0.5)], skipped: 2);

        // Verbatim 1 of 3; token match (1 + 0.5 + 0) / 3 = 0.5; n-gram (1 + 0.25 + 0.5) / 3 = 7/12.
        Assert.Equal(1.0 / 3.0, summary.VerbatimRate);
        Assert.Equal(0.5, summary.TokenMatch);
        Assert.Equal(7.0 / 12.0, summary.NgramScore, 15);
        Assert.Equal((3, 2), (summary.Scored, summary.Skipped));
    }

    [Fact]
    public void Nothing_scored_gives_zero_means_and_keeps_the_skipped_count()
    {
        Assert.Equal(new MemorisationSummary(0, 0, 0, 0, 5), MemorisationSummary.Of([], skipped: 5));
    }
}
