using Pipeline.Modelling.Tests.Support;
using Pipeline.Modelling.Tokenization;

namespace Pipeline.Modelling.Tests.Tokenization;

public sealed class CompactVocabularyTests
{
    [Fact]
    public void Most_frequent_ids_come_first_and_ties_go_to_the_smaller_id()
    {
        // counts: 5→2, 3→2, 7→1, 9→1; the end-of-text id takes no slot.
        var map = CompactVocabulary.Build([[5, 5, 7, 3], [3, 9, 50256]], maxSize: 5);

        Assert.Equal(5, map.Size);
        Assert.Equal(2, map.ToDense(3));
        Assert.Equal(3, map.ToDense(5));
        Assert.Equal(4, map.ToDense(7));
        Assert.Equal(CompactVocabulary.UnknownId, map.ToDense(9));
        Assert.Equal(CompactVocabulary.EndOfTextId, map.ToDense(50256));
        Assert.Equal([2L, 2L, 1L], map.Counts);
    }

    [Fact]
    public void Save_and_load_give_the_same_mapping_and_leave_no_temporary_file()
    {
        using var folder = new TemporaryFolder();
        var map = CompactVocabulary.Build([[11, 12, 12, 13, 13, 13]], maxSize: 10);

        map.Save(folder.Path);
        var loaded = CompactVocabulary.Load(folder.File(CompactVocabulary.FileName));

        Assert.Equal(map.Size, loaded.Size);
        foreach (var dense in Enumerable.Range(0, map.Size))
            Assert.Equal(map.ToInner(dense), loaded.ToInner(dense));
        Assert.Equal(map.Counts, loaded.Counts);
        Assert.Equal([CompactVocabulary.FileName], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Compact_tokenizer_round_trips_seen_text_and_marks_unseen_tokens_as_unk()
    {
        var gpt2 = new Gpt2Tokenizer();
        var map = CompactVocabulary.Build([gpt2.Encode("Hello world. Hello again.")], maxSize: 100);
        var tokenizer = new CompactTokenizer(gpt2, map);

        var seen = tokenizer.Encode("Hello world.");
        Assert.All(seen, id => Assert.InRange(id, CompactVocabulary.ReservedCount, tokenizer.VocabularySize - 1));
        Assert.Equal("Hello world.", tokenizer.Decode(seen));

        var unseen = tokenizer.Encode("Hello there");   // " there" never occurred
        Assert.Equal(CompactVocabulary.UnknownId, unseen[^1]);
        Assert.Equal("Hello" + CompactTokenizer.UnknownMarker, tokenizer.Decode(unseen));
        Assert.Equal("<|endoftext|>", tokenizer.Decode([tokenizer.EndOfTextId]));
    }

    [Fact]
    public void A_character_split_over_several_kept_tokens_decodes_whole()
    {
        var gpt2 = new Gpt2Tokenizer();
        const string text = "🙂 café";   // the emoji takes several byte-level tokens
        var tokenizer = new CompactTokenizer(gpt2, CompactVocabulary.Build([gpt2.Encode(text)], maxSize: 50));
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }
}
