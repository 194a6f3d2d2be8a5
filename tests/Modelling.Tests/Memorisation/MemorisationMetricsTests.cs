using Pipeline.Modelling.Memorisation;

namespace Pipeline.Modelling.Tests.Memorisation;

/// <summary>The metric definitions on hand-made token sequences; every expected value is worked out in the comment beside it.</summary>
public sealed class MemorisationMetricsTests
{
    private static readonly int[] Bigrams = [2];
    private static readonly int[] DefaultSizes = [2, 3, 4];

    [Fact]
    public void Ngram_score_counts_each_output_position_so_a_repeated_output_ngram_counts_twice()
    {
        int[] generated = [1, 2, 3, 1, 2];
        int[] target = [1, 2, 3, 4];
        // Output bigrams (1,2) (2,3) (3,1) (1,2); the target's are {(1,2), (2,3), (3,4)}: 3 of 4 positions are in it.
        Assert.Equal(0.75, MemorisationMetrics.NgramScore(generated, target, Bigrams));
        // Trigrams (1,2,3) (2,3,1) (3,1,2) against {(1,2,3), (2,3,4)}: 1/3. 4-grams (1,2,3,1) (2,3,1,2) against
        // {(1,2,3,4)}: 0/2. Mean over N = {2, 3, 4}: (3/4 + 1/3 + 0) / 3 = 13/36.
        Assert.Equal(13.0 / 36.0, MemorisationMetrics.NgramScore(generated, target, DefaultSizes), 15);
    }

    [Fact]
    public void Ngram_score_treats_the_target_ngrams_as_a_set()
    {
        // The target's bigrams are {(7,7)} however often it repeats; output (7,7) is in it, (7,1) is not: 1/2.
        Assert.Equal(0.5, MemorisationMetrics.NgramScore([7, 7, 1], [7, 7, 7, 7], Bigrams));
    }

    [Fact]
    public void Ngram_sizes_larger_than_the_output_are_left_out_of_the_average()
    {
        // Output (5,6) has one bigram, which the target has: 1. Trigrams and 4-grams do not exist in a 2-token
        // output, so the mean is over n = 2 alone: 1, not (1 + 0 + 0) / 3.
        Assert.Equal(1.0, MemorisationMetrics.NgramScore([5, 6], [5, 6, 7], DefaultSizes));
        // With only sizes larger than the output nothing is measured: 0.
        Assert.Equal(0.0, MemorisationMetrics.NgramScore([5, 6], [5, 6, 7], [3, 4]));
        Assert.Equal(0.0, MemorisationMetrics.NgramScore([], [5, 6, 7], DefaultSizes));
    }

    [Fact]
    public void A_target_shorter_than_n_has_no_ngrams_of_that_size_so_the_size_scores_0()
    {
        // Output [1,2,3] against target [1,2], whose only bigram is (1,2): output bigrams (1,2) yes, (2,3) no: 1/2.
        // Trigram (1,2,3): a 2-token target has no trigrams: 0. 4-grams: larger than the output, left out.
        // Mean over n = 2, 3: (1/2 + 0) / 2 = 1/4.
        Assert.Equal(0.25, MemorisationMetrics.NgramScore([1, 2, 3], [1, 2], DefaultSizes));
    }

    [Fact]
    public void An_empty_target_scores_0_on_every_metric()
    {
        Assert.Equal(0.0, MemorisationMetrics.NgramScore([1, 2, 3], [], DefaultSizes));
        Assert.Equal(0.0, MemorisationMetrics.TokenMatch([1, 2, 3], []));
        Assert.False(MemorisationMetrics.IsVerbatim([1, 2, 3], []));
        Assert.False(MemorisationMetrics.IsVerbatim([], []));
    }

    [Fact]
    public void An_exact_copy_is_verbatim_and_scores_1_on_every_metric()
    {
        int[] target = [4, 8, 15, 16, 23, 42];
        Assert.True(MemorisationMetrics.IsVerbatim(target, target));
        Assert.Equal(1.0, MemorisationMetrics.TokenMatch(target, target));
        Assert.Equal(1.0, MemorisationMetrics.NgramScore(target, target, DefaultSizes));
    }

    [Fact]
    public void One_wrong_token_breaks_verbatim_but_costs_token_match_only_its_share()
    {
        int[] target = [1, 2, 3, 4];
        int[] generated = [1, 2, 3, 5];
        Assert.False(MemorisationMetrics.IsVerbatim(generated, target));
        Assert.Equal(0.75, MemorisationMetrics.TokenMatch(generated, target)); // 3 of 4 positions
        // Bigrams (1,2) (2,3) in the target, (3,5) not: 2/3.
        Assert.Equal(2.0 / 3.0, MemorisationMetrics.NgramScore(generated, target, Bigrams));
    }

    [Fact]
    public void A_shifted_copy_matches_no_position_but_keeps_its_ngrams()
    {
        int[] target = [1, 2, 3, 4];
        int[] generated = [9, 1, 2, 3];
        Assert.False(MemorisationMetrics.IsVerbatim(generated, target));
        Assert.Equal(0.0, MemorisationMetrics.TokenMatch(generated, target)); // 9≠1, 1≠2, 2≠3, 3≠4
        // Bigrams (9,1) no, (1,2) yes, (2,3) yes: 2/3.
        Assert.Equal(2.0 / 3.0, MemorisationMetrics.NgramScore(generated, target, Bigrams));
    }

    [Fact]
    public void Token_match_is_over_the_target_length_whatever_the_output_length()
    {
        // A 2-token output against a 4-token target: positions 3 and 4 are misses, 2/4.
        Assert.Equal(0.5, MemorisationMetrics.TokenMatch([1, 2], [1, 2, 3, 4]));
        Assert.False(MemorisationMetrics.IsVerbatim([1, 2], [1, 2, 3, 4]));
        // Output tokens past the target's end are not compared: verbatim, and token match 1.
        Assert.Equal(1.0, MemorisationMetrics.TokenMatch([1, 2, 3, 4, 5], [1, 2, 3, 4]));
        Assert.True(MemorisationMetrics.IsVerbatim([1, 2, 3, 4, 5], [1, 2, 3, 4]));
    }

    [Fact]
    public void Ids_too_wide_to_pack_give_the_same_score_as_small_ids()
    {
        // The first case's sequences with every id shifted past 2^21 (hashed keys instead of packed ones): still 13/36.
        const int offset = 1 << 22;
        int[] generated = [offset + 1, offset + 2, offset + 3, offset + 1, offset + 2];
        int[] target = [offset + 1, offset + 2, offset + 3, offset + 4];
        Assert.Equal(13.0 / 36.0, MemorisationMetrics.NgramScore(generated, target, DefaultSizes), 15);
    }

    [Fact]
    public void Ngram_sizes_below_1_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MemorisationMetrics.NgramScore([1, 2], [1, 2], [0]));
    }
}
