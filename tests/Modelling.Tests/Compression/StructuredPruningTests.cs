using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Compression;
using Pipeline.Modelling.Models;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Compression;

[Collection(TorchCollection.Name)]
public sealed class StructuredPruningTests
{
    [Theory]
    [InlineData(StructuredUnit.Neurons, PruningCriterion.Magnitude)]
    [InlineData(StructuredUnit.Neurons, PruningCriterion.Random)]
    [InlineData(StructuredUnit.Heads, PruningCriterion.Magnitude)]
    [InlineData(StructuredUnit.Heads, PruningCriterion.Taylor)]
    public void The_smaller_model_has_the_expected_shapes_and_computes_what_the_masked_model_computes(StructuredUnit unit, PruningCriterion criterion)
    {
        using var model = TinyModels.Create(21, TinyModels.Config(hidden: 32, heads: 4, layers: 2, vocab: 64, parallelResidual: unit == StructuredUnit.Heads));
        var saliency = Saliency.Compute(model, criterion, Training.TrainingData.Varied(8, vocab: 64), contextLength: 32, batchSize: 4, seed: 5);
        var kept = StructuredPruning.Choose(model, unit, saliency, share: 0.5);

        using var smaller = StructuredPruning.Remove(model, unit, kept);
        StructuredPruning.ZeroRemoved(model, unit, kept); // the masked model it came from

        var config = smaller.Config;
        if (unit == StructuredUnit.Neurons)
        {
            Assert.Equal(64, config.IntermediateSize); // 4 × 32 → half
            Assert.Equal([64L, 32], Parameter(smaller, "gpt_neox.layers.1.mlp.dense_h_to_4h.weight").shape);
            Assert.Equal([32L, 64], Parameter(smaller, "gpt_neox.layers.0.mlp.dense_4h_to_h.weight").shape);
        }
        else
        {
            Assert.Equal(2, config.NumAttentionHeads);
            Assert.Equal(8, config.HeadSize); // the remaining heads keep their width
            Assert.Equal(32, config.HiddenSize); // and the residual width is untouched
            Assert.Equal([48L, 32], Parameter(smaller, "gpt_neox.layers.0.attention.query_key_value.weight").shape);
            Assert.Equal([32L, 16], Parameter(smaller, "gpt_neox.layers.1.attention.dense.weight").shape);
        }
        Assert.All(kept, layer => Assert.Equal(unit == StructuredUnit.Neurons ? 64 : 2, layer.Length));
        using var ids = TinyModels.RandomIds(3, batch: 2, length: 12, vocab: 64);
        using var expected = model.forward(ids);
        using var actual = smaller.forward(ids);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), $"largest difference {(actual - expected).abs().max().item<float>()}");
    }

    [Fact]
    public void A_head_pruned_checkpoint_saves_and_loads_with_its_head_size()
    {
        using var model = TinyModels.Create(4);
        var kept = StructuredPruning.Choose(model, StructuredUnit.Heads, Saliency.Compute(model, PruningCriterion.Magnitude), share: 0.25);
        using var smaller = StructuredPruning.Remove(model, StructuredUnit.Heads, kept);
        var full = CheckpointStore.Save(model, TinyModels.TempFolder());

        var saved = CheckpointStore.Save(smaller, TinyModels.TempFolder());
        using var loaded = CheckpointStore.Load(saved.Folder, DeviceSelector.Resolve("cpu"));

        Assert.Equal(smaller.Config, loaded.Config);
        Assert.Equal(3, loaded.Config.NumAttentionHeads);
        using var ids = TinyModels.RandomIds(8, batch: 1, length: 10, vocab: 64);
        Assert.True(loaded.forward(ids).allclose(smaller.forward(ids)));
        Assert.True(saved.Bytes < full.Bytes);
    }

    private static Tensor Parameter(GptNeoXModel model, string name) => model.named_parameters().Single(p => p.name == name).parameter;
}
