using Pipeline.Modelling.Generation;
using Pipeline.Modelling.Tests.Training;
using Pipeline.Modelling.Training;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Generation;

[Collection(TorchCollection.Name)]
public sealed class GreedyDecoderTests
{
    [Fact]
    public void Cached_and_uncached_decoding_give_identical_tokens_on_a_random_model()
    {
        using var model = TinyModels.Create(61);
        using var scope = NewDisposeScope();
        var prefix = TinyModels.RandomIds(62, batch: 4, length: 6, vocab: 64);

        var cached = GreedyDecoder.Generate(model, prefix, newTokens: 24, useCache: true);
        var uncached = GreedyDecoder.Generate(model, prefix, newTokens: 24, useCache: false);

        Assert.Equal(new long[] { 4, 24 }, cached.shape);
        Assert.True(cached.BitEquals(uncached));
        // Greedy means argmax of the full forward pass: check the first new token directly.
        using var noGrad = no_grad();
        var expectedFirst = model.forward(prefix)[.., -1].argmax(-1);
        Assert.True(cached[.., 0].BitEquals(expectedFirst));
    }

    [Fact]
    public void A_trained_model_decodes_its_memorised_sequence_identically_with_and_without_the_cache()
    {
        var data = TrainingData.Repeated(copies: 48, length: 24, vocab: 64, seed: 7);
        using var model = TinyModels.Create(63);
        using (var trainer = new LanguageModelTrainer(model, data,
                   new TrainingOptions { Epochs = 4, BatchSize = 4, ContextLength = 24, LearningRate = 1e-2, Seed = 1 }))
            for (var e = 1; e <= 4; e++) trainer.TrainEpoch(e);
        using var scope = NewDisposeScope();
        var sequence = tensor(data[0].Select(t => (long)t).ToArray()).unsqueeze(0).expand(2, -1).contiguous();

        var cached = GreedyDecoder.Generate(model, sequence[.., ..4], newTokens: 20, useCache: true);
        var uncached = GreedyDecoder.Generate(model, sequence[.., ..4], newTokens: 20, useCache: false);

        Assert.True(cached.BitEquals(uncached));
        Assert.True(cached.BitEquals(sequence[.., 4..].contiguous()), "the memorised continuation should come back verbatim");
    }
}
