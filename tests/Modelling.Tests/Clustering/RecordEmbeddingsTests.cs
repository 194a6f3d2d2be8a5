using Pipeline.Modelling.Clustering;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Tokenization;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Clustering;

[Collection(TorchCollection.Name)]
public sealed class RecordEmbeddingsTests
{
    private static readonly string[] Texts =
    [
        "The refund for order 17 has not arrived.",
        "My parcel was left at the wrong door again, and nobody answered the phone for two days.",
        "Printer jams.",
        "Please reset my password.",
        "The refund for order 17 has not arrived.",
    ];

    private static readonly ITextTokenizer Tokenizer = TokenizerOver(Texts);

    [Fact]
    public void A_texts_embedding_is_the_mean_over_its_positions_of_the_final_hidden_state()
    {
        using var model = Model(1);
        using var scope = NewDisposeScope();

        var embeddings = RecordEmbeddings.Embed(model, Tokenizer, Texts);

        using var noGrad = no_grad();
        Assert.Equal(new long[] { Texts.Length, 32 }, embeddings.shape);
        for (var i = 0; i < Texts.Length; i++)
        {
            var ids = tensor(Tokenizer.Encode(Texts[i]).Select(id => (long)id).ToArray()).unsqueeze(0);
            var manual = model.HiddenStates(ids)[0].mean([0]);
            Assert.True(embeddings[i].allclose(manual, rtol: 1e-5, atol: 1e-6), $"text {i}");
        }
    }

    [Fact]
    public void Batching_gives_the_same_embeddings_as_one_text_at_a_time_so_padding_never_enters_the_mean()
    {
        using var model = Model(2);
        using var scope = NewDisposeScope();

        var batched = RecordEmbeddings.Embed(model, Tokenizer, Texts, batchSize: 5);
        var single = RecordEmbeddings.Embed(model, Tokenizer, Texts, batchSize: 1);

        Assert.True(batched.allclose(single, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Different_texts_get_different_embeddings_and_the_same_text_the_same_on_every_call()
    {
        using var model = Model(3);
        using var scope = NewDisposeScope();

        var first = RecordEmbeddings.Embed(model, Tokenizer, Texts);
        var again = RecordEmbeddings.Embed(model, Tokenizer, Texts);

        Assert.True(first.BitEquals(again));
        Assert.True(first[0].allclose(first[4], rtol: 1e-6, atol: 1e-7)); // texts 0 and 4 are the same text
        for (var i = 0; i < 4; i++)
            for (var j = i + 1; j < 4; j++)
                Assert.True((first[i] - first[j]).abs().max().item<float>() > 1e-3, $"texts {i} and {j}");
    }

    [Fact]
    public void Texts_longer_than_the_context_are_embedded_from_their_first_context_length_tokens()
    {
        var config = TinyModels.Config(vocab: Tokenizer.VocabularySize) with { MaxPositionEmbeddings = 6 };
        using var model = TinyModels.Create(4, config);
        using var scope = NewDisposeScope();
        var longText = Texts[1];
        var ids = Tokenizer.Encode(longText);
        Assert.True(ids.Count > 6);

        var embedding = RecordEmbeddings.Embed(model, Tokenizer, [longText]);

        using var noGrad = no_grad();
        var firstSix = model.HiddenStates(tensor(ids.Take(6).Select(id => (long)id).ToArray()).unsqueeze(0))[0].mean([0]);
        Assert.True(embedding[0].allclose(firstSix, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Embedding_leaves_a_model_in_training_mode_as_it_found_it()
    {
        using var model = Model(5);
        model.train();
        using var scope = NewDisposeScope();

        RecordEmbeddings.Embed(model, Tokenizer, Texts);

        Assert.True(model.training);
    }

    private static GptNeoXModel Model(long seed) => TinyModels.Create(seed, TinyModels.Config(vocab: Tokenizer.VocabularySize));

    private static ITextTokenizer TokenizerOver(IEnumerable<string> texts)
    {
        var gpt2 = new Gpt2Tokenizer();
        return new CompactTokenizer(gpt2, CompactVocabulary.Build(texts.Select(t => gpt2.Encode(t)), 64));
    }
}
