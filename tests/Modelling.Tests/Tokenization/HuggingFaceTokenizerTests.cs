using System.Text.Json.Nodes;
using Pipeline.Modelling.Tests.Support;
using Pipeline.Modelling.Tokenization;

namespace Pipeline.Modelling.Tests.Tokenization;

/// <summary>
/// The fixture is a hand-written byte-level BPE: vocab h e l o Ġ w r d ! plus merges he, ll, hell, hello, Ġw, or, Ġwor,
/// ld and "Ã ©" (é's two UTF-8 bytes), and the added token &lt;|endoftext|&gt; = 16. The expected ids follow from
/// applying the merges by rank by hand.
/// </summary>
public sealed class HuggingFaceTokenizerTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Tokenization", "Fixtures", "tiny-tokenizer.json");

    [Fact]
    public void Merges_apply_by_rank_within_gpt2_pre_tokenised_words()
    {
        var tokenizer = HuggingFaceTokenizer.Load(Fixture);
        // "hello" → hello; " world" → Ġwor + ld (no "Ġwor ld" merge); "!" → !
        Assert.Equal([12, 15, 17, 8], tokenizer.Encode("hello world!"));
    }

    [Fact]
    public void A_run_of_spaces_keeps_all_but_the_last_space_apart_as_gpt2s_pattern_does()
    {
        var tokenizer = HuggingFaceTokenizer.Load(Fixture);
        Assert.Equal([12, 4, 15, 17], tokenizer.Encode("hello  world"));
    }

    [Fact]
    public void Added_tokens_are_cut_out_before_bpe_and_decode_as_their_text()
    {
        var tokenizer = HuggingFaceTokenizer.Load(Fixture);
        var ids = tokenizer.Encode("hello<|endoftext|>world");
        Assert.Equal([12, 16, 5, 14, 17], ids);
        Assert.Equal("hello<|endoftext|>world", tokenizer.Decode(ids));
        Assert.Equal(16, tokenizer.EndOfTextId);
        Assert.Equal(21, tokenizer.VocabularySize);
    }

    [Fact]
    public void The_nfc_normalizer_composes_accents_before_byte_level_bpe()
    {
        var tokenizer = HuggingFaceTokenizer.Load(Fixture);
        // e + COMBINING ACUTE ACCENT becomes é (C3 A9 → "Ã©" → id 20) only after NFC.
        Assert.Equal([0, 20], tokenizer.Encode("he\u0301"));
        Assert.Equal("hé", tokenizer.Decode([0, 20]));
    }

    [Fact]
    public void Merges_written_as_pairs_give_the_same_ids_as_merges_written_as_strings()
    {
        using var folder = new TemporaryFolder();
        var json = JsonNode.Parse(File.ReadAllText(Fixture))!;
        var merges = json["model"]!["merges"]!.AsArray();
        var pairs = new JsonArray(merges.Select(m => (JsonNode)new JsonArray(m!.GetValue<string>().Split(' ').Select(p => (JsonNode)p!).ToArray())).ToArray());
        json["model"]!["merges"] = pairs;
        File.WriteAllText(folder.File("tokenizer.json"), json.ToJsonString());

        var tokenizer = HuggingFaceTokenizer.Load(folder.Path);
        Assert.Equal([12, 15, 17, 8], tokenizer.Encode("hello world!"));
    }

    [Fact]
    public void A_sentencepiece_style_file_is_refused_with_the_reason()
    {
        using var folder = new TemporaryFolder();
        var json = JsonNode.Parse(File.ReadAllText(Fixture))!;
        json["pre_tokenizer"] = JsonNode.Parse("""{ "type": "Metaspace", "replacement": "▁" }""");
        File.WriteAllText(folder.File("tokenizer.json"), json.ToJsonString());

        var refused = Assert.Throws<InvalidDataException>(() => HuggingFaceTokenizer.Load(folder.Path));
        Assert.Contains("Metaspace is not supported", refused.Message);
    }

    [Fact]
    public void The_folders_config_names_the_end_of_text_token()
    {
        using var folder = new TemporaryFolder();
        File.Copy(Fixture, folder.File("tokenizer.json"));
        File.WriteAllText(folder.File("config.json"), """{ "eos_token_id": 8 }""");
        Assert.Equal(8, HuggingFaceTokenizer.Load(folder.Path).EndOfTextId);
    }

    [Fact]
    public void Gpt2s_vocabulary_written_as_a_tokenizer_json_encodes_exactly_as_gpt2()
    {
        using var folder = new TemporaryFolder();
        Gpt2TokenizerJson.Write(folder.File("tokenizer.json"));
        var converted = HuggingFaceTokenizer.Load(folder.Path);
        var gpt2 = new Gpt2Tokenizer();
        const string text = "It's the 1st of May—don't they'll we've I'm you'd!  Spaces   and\ttabs\n\nnew lines; " +
                            "Grüße, 世界 🙂 naïve café <|endoftext|> 12345 $3.50 #hashtag @user http://x.org/a?b=c";

        Assert.Equal(gpt2.Encode(text), converted.Encode(text));
        Assert.Equal(50256, converted.EndOfTextId);
        Assert.Equal(50257, converted.VocabularySize);
        Assert.Equal(text, converted.Decode(converted.Encode(text)));
    }
}
