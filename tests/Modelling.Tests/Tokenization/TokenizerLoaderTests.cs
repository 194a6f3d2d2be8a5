using Pipeline.Modelling.Tests.Support;
using Pipeline.Modelling.Tokenization;

namespace Pipeline.Modelling.Tests.Tokenization;

public sealed class TokenizerLoaderTests
{
    [Fact]
    public void A_folder_with_tokenizer_json_gets_its_own_tokenizer()
    {
        using var folder = new TemporaryFolder();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Tokenization", "Fixtures", "tiny-tokenizer.json"), folder.File("tokenizer.json"));
        CompactVocabulary.Build([[1, 2]], 10).Save(folder.Path);   // tokenizer.json wins over a vocab map

        var tokenizer = Assert.IsType<HuggingFaceTokenizer>(TokenizerLoader.ForCheckpoint(folder.Path));
        Assert.Equal([12], tokenizer.Encode("hello"));
    }

    [Fact]
    public void A_folder_with_a_vocab_map_gets_the_compact_tokenizer_over_gpt2()
    {
        using var folder = new TemporaryFolder();
        CompactVocabulary.Build([new Gpt2Tokenizer().Encode("Hello world")], 10).Save(folder.Path);

        var tokenizer = Assert.IsType<CompactTokenizer>(TokenizerLoader.ForCheckpoint(folder.Path));
        // "Hello" (15496) and " world" (995) occur once each; the tie puts the smaller GPT-2 id first.
        Assert.Equal([3, 2], tokenizer.Encode("Hello world"));
    }

    [Fact]
    public void A_bare_folder_gets_plain_gpt2()
    {
        using var folder = new TemporaryFolder();
        Assert.IsType<Gpt2Tokenizer>(TokenizerLoader.ForCheckpoint(folder.Path));
    }
}
