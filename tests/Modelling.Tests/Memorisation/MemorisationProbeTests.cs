using Pipeline.Modelling.Data;
using Pipeline.Modelling.Memorisation;

namespace Pipeline.Modelling.Tests.Memorisation;

/// <summary>How records are cut into prefix and target (letters 'a' = 1 … 'z' = 26, so ids are read off the text).</summary>
public sealed class MemorisationProbeTests
{
    private static readonly MemorisationSettings PrefixFourSuffixThree = new() { PrefixTokens = 4, SuffixTokens = 3 };
    private static readonly LetterTokenizer Letters = new();

    private static MemorisationProbe? Probe(TextRecord record) => MemorisationProbe.From(record, Letters, PrefixFourSuffixThree);

    [Fact]
    public void A_text_record_gives_its_first_P_tokens_as_prefix_and_the_next_S_as_target()
    {
        var probe = Probe(TextRecord.Plain("r", "s", "abcdefghij"))!;

        Assert.Equal([1, 2, 3, 4], probe.Prefix);   // a b c d
        Assert.Equal([5, 6, 7], probe.Target);      // e f g; h i j are not scored
    }

    [Fact]
    public void A_text_record_shorter_than_P_plus_S_tokens_has_no_probe()
    {
        Assert.Null(Probe(TextRecord.Plain("r", "s", "abcdef")));    // 6 < 4 + 3
        Assert.NotNull(Probe(TextRecord.Plain("r", "s", "abcdefg")));  // exactly 7
    }

    [Fact]
    public void A_pair_gives_the_last_P_prompt_tokens_and_the_first_S_response_tokens()
    {
        var probe = Probe(TextRecord.Pair("r", "s", "abcdef", "ghijk"))!;

        Assert.Equal([3, 4, 5, 6], probe.Prefix);   // c d e f: the prompt's end, right before the response
        Assert.Equal([7, 8, 9], probe.Target);      // g h i
    }

    [Fact]
    public void A_short_pair_is_used_whole_and_an_empty_side_has_no_probe()
    {
        var probe = Probe(TextRecord.Pair("r", "s", "ab", "c"))!;

        Assert.Equal([1, 2], probe.Prefix);
        Assert.Equal([3], probe.Target);
        Assert.Null(Probe(TextRecord.Pair("r", "s", "", "abc")));
        Assert.Null(Probe(TextRecord.Pair("r", "s", "abc", "")));
    }
}
