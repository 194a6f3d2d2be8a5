using Pipeline.Modelling.Memorisation;

namespace Pipeline.Modelling.Tests.Memorisation;

public sealed class MemorisationSettingsTests
{
    [Fact]
    public void Defaults_are_32_prefix_and_32_target_tokens_ngrams_2_3_4_and_batches_of_32()
    {
        var settings = new MemorisationSettings();

        settings.Validate();
        Assert.Equal((32, 32, 32), (settings.PrefixTokens, settings.SuffixTokens, settings.BatchSize));
        Assert.Equal([2, 3, 4], settings.NgramSizes);
    }

    public static TheoryData<MemorisationSettings> Invalid() =>
    [
        new() { PrefixTokens = 0 },
        new() { SuffixTokens = 0 },
        new() { BatchSize = 0 },
        new() { NgramSizes = [] },
        new() { NgramSizes = [0, 2] },
        new() { NgramSizes = [2, 2, 3] },
    ];

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_settings_are_refused(MemorisationSettings settings)
    {
        Assert.Throws<ArgumentException>(settings.Validate);
    }
}
