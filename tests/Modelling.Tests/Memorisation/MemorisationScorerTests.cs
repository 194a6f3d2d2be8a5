using Pipeline.Modelling.Data;
using Pipeline.Modelling.Memorisation;

namespace Pipeline.Modelling.Tests.Memorisation;

[Collection(TorchCollection.Name)]
public sealed class MemorisationScorerTests(MemorisedModel memorised) : IClassFixture<MemorisedModel>
{
    private MemorisationScorer Scorer(MemorisationSettings? settings = null) =>
        new(memorised.Model, memorised.Tokenizer, settings ?? new MemorisationSettings());

    [Fact]
    public void Trained_records_are_memorised_verbatim_and_held_out_records_of_the_same_form_are_not()
    {
        var (trained, heldOut) = Scorer().Score(
            new MemorisationSample(memorised.Trained, memorised.HeldOut), CancellationToken.None);

        Assert.Equal(new MemorisationSummary(1.0, 1.0, 1.0, 8, 0), trained.Summary);
        Assert.All(trained.Records, r => Assert.Equal(MemorisationSide.Trained, r.Side));

        // The held-out targets are uniform random letters, independent of whatever the model outputs. So a verbatim
        // match has chance 26^-32 (never); a position matches with chance 1/26 ≈ 0.038, and over 8 × 32 positions
        // (sd ≈ 0.012) 0.2 is more than 10 sd away; an output bigram is among a target's ≤ 31 bigrams of 676 with
        // chance ≤ 0.046, a trigram ≤ 30/17,576, a 4-gram less, so the n-gram score's mean is ≈ 0.016 and 0.1 is far.
        var held = heldOut.Summary;
        Assert.Equal(8, held.Scored);
        Assert.Equal(0.0, held.VerbatimRate);
        Assert.InRange(held.TokenMatch, 0.0, 0.2);
        Assert.InRange(held.NgramScore, 0.0, 0.1);
        Assert.All(heldOut.Records, r => Assert.Equal(MemorisationSide.HeldOut, r.Side));
        Assert.Equal(memorised.HeldOut.Select(r => (r.Id, r.SubjectId)), heldOut.Records.Select(r => (r.Id, r.SubjectId)));
    }

    [Fact]
    public void Records_shorter_than_prefix_plus_suffix_are_skipped_and_counted()
    {
        var text = memorised.Trained[0].Text!;
        TextRecord[] records =
        [
            TextRecord.Plain("one-short", "s", text[..63]),   // P + S − 1 tokens
            TextRecord.Plain("exact", "s", text),             // P + S tokens
            TextRecord.Plain("empty", "s", ""),
            TextRecord.Plain("longer", "s", text + "abc"),    // only the first P + S tokens count
        ];

        var result = Scorer().Score(records, MemorisationSide.Trained, CancellationToken.None);

        Assert.Equal(2, result.Skipped);
        Assert.Equal(["one-short", "empty"], result.SkippedIds);
        Assert.Equal(["exact", "longer"], result.Records.Select(r => r.Id));
        Assert.All(result.Records, r => Assert.Equal((true, 32, 32), (r.Verbatim, r.PrefixLength, r.TargetLength)));
        Assert.Equal(new MemorisationSummary(1.0, 1.0, 1.0, 2, 2), result.Summary);
    }

    [Fact]
    public void Pair_records_are_scored_on_the_end_of_their_prompt_and_the_start_of_their_response()
    {
        var first = memorised.Trained[0].Text!;
        var second = memorised.Trained[1].Text!;
        var third = memorised.Trained[2].Text!;
        TextRecord[] records =
        [
            // Prefix = the whole 20-letter prompt, target = the whole 30-letter response: both shorter than P and S.
            TextRecord.Pair("short-pair", "s", first[..20], first[20..50]),
            // Prompt of 40 letters: its last 32 are the memorised opening; response of 40: its first 32 are the memorised rest.
            TextRecord.Pair("long-pair", "s", "qqqqqqqq" + second[..32], second[32..] + "qqqqqqqq"),
            // A memorised prompt with someone else's response: the target is the response, so nothing is memorised.
            TextRecord.Pair("foreign-response", "s", third[..32], memorised.HeldOut[0].Text![32..]),
            TextRecord.Pair("no-response", "s", third[..32], ""),
            TextRecord.Pair("no-prompt", "s", "", third),
        ];

        // Batch size 1 and prefix lengths 20 and 32: several batches, results still in the records' order.
        var result = Scorer(new MemorisationSettings { BatchSize = 1 }).Score(records, MemorisationSide.Trained, CancellationToken.None);

        Assert.Equal(["no-response", "no-prompt"], result.SkippedIds);
        Assert.Equal(
            [("short-pair", true, 20, 30), ("long-pair", true, 32, 32), ("foreign-response", false, 32, 32)],
            result.Records.Select(r => (r.Id, r.Verbatim, r.PrefixLength, r.TargetLength)));
        Assert.Equal(1.0, result.Records[0].TokenMatch);
        Assert.True(result.Records[2].TokenMatch < 1.0);
    }

    [Fact]
    public void Decoding_in_batches_gives_the_same_scores_as_one_record_at_a_time()
    {
        var records = memorised.Trained.Take(4).Concat(memorised.HeldOut.Take(4)).ToList();

        var oneByOne = Scorer(new MemorisationSettings { BatchSize = 1 }).Score(records, "mixed", CancellationToken.None);
        var batched = Scorer(new MemorisationSettings { BatchSize = 3 }).Score(records, "mixed", CancellationToken.None);

        Assert.Equal(oneByOne.Records, batched.Records);
    }

    [Fact]
    public void Scoring_leaves_the_model_in_the_mode_it_found_it()
    {
        memorised.Model.train();

        Scorer().Score(memorised.Trained.Take(1).ToList(), MemorisationSide.Trained, CancellationToken.None);

        Assert.True(memorised.Model.training);
        memorised.Model.eval();
    }

    [Fact]
    public void A_cancelled_token_stops_scoring()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => Scorer().Score(memorised.Trained, MemorisationSide.Trained, cancelled.Token));
    }
}
