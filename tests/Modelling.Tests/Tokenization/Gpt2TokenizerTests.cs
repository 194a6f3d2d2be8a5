using Pipeline.Modelling.Tokenization;

namespace Pipeline.Modelling.Tests.Tokenization;

public sealed class Gpt2TokenizerTests
{
    private readonly Gpt2Tokenizer _tokenizer = new();

    [Fact]
    public void Hello_world_encodes_to_gpt2s_ids()
    {
        Assert.Equal([15496, 995], _tokenizer.Encode("Hello world"));
    }

    [Fact]
    public void End_of_text_is_50256_and_the_vocabulary_has_50257_ids()
    {
        Assert.Equal(50256, _tokenizer.EndOfTextId);
        Assert.Equal(50257, _tokenizer.VocabularySize);
        Assert.Equal("<|endoftext|>", _tokenizer.Decode([50256]));
    }

    [Fact]
    public void Unicode_heavy_text_survives_a_round_trip()
    {
        const string text = "Grüße, 世界! 🙂 naïve café — «ok»\n\tΣίσυφος   ∮ E⋅da = Q";
        var ids = _tokenizer.Encode(text);
        Assert.Equal(text, _tokenizer.Decode(ids));
        Assert.All(ids, id => Assert.InRange(id, 0, _tokenizer.VocabularySize - 1));
    }
}
