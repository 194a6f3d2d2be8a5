using Pipeline.Modelling.Compression;
using Pipeline.Modelling.Tests.Training;
using Pipeline.Modelling.Training;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Compression;

[Collection(TorchCollection.Name)]
public sealed class PruningTests
{
    [Theory]
    [InlineData(PruningCriterion.Magnitude, PruningScope.Global, 0.5)]
    [InlineData(PruningCriterion.Magnitude, PruningScope.PerLayer, 0.3)]
    [InlineData(PruningCriterion.Random, PruningScope.Global, 0.9)]
    [InlineData(PruningCriterion.Obd, PruningScope.Global, 0.7)]
    [InlineData(PruningCriterion.Taylor, PruningScope.PerLayer, 0.5)]
    public void Masks_remove_exactly_the_requested_share(PruningCriterion criterion, PruningScope scope, double sparsity)
    {
        using var model = TinyModels.Create(11);
        var saliency = Saliency.Compute(model, criterion, TrainingData.Varied(12, vocab: 64), contextLength: 32, batchSize: 4, seed: 3);

        using var mask = PruningMask.Build(saliency, sparsity, scope);
        mask.Apply(model);

        if (scope == PruningScope.PerLayer)
            foreach (var (name, weight) in PrunableWeights.Of(model))
                Assert.Equal((long)Math.Round(sparsity * weight.NumberOfElements), weight.NumberOfElements - weight.count_nonzero().item<long>());
        else
        {
            Assert.Equal((long)Math.Round(sparsity * mask.Total), mask.Removed);
            Assert.Equal(mask.Removed, (long)Math.Round(PruningMask.SparsityOf(model) * mask.Total)); // and the model holds exactly those zeros
        }
    }

    [Fact]
    public void Magnitude_pruning_removes_the_smallest_weights_first()
    {
        using var model = TinyModels.Create(5);
        var before = PrunableWeights.Of(model).ToDictionary(w => w.Name, w => w.Weight.detach().clone());
        using var mask = PruningMask.Build(Saliency.Compute(model, PruningCriterion.Magnitude), 0.4, PruningScope.Global);

        var removed = before.Select(b => b.Value.abs().masked_select(mask.Masks[b.Key] == 0)).ToArray();
        var kept = before.Select(b => b.Value.abs().masked_select(mask.Masks[b.Key] == 1)).ToArray();
        Assert.True(cat(removed).max().item<float>() <= cat(kept).min().item<float>());
    }

    [Fact]
    public void On_one_sample_obd_is_half_the_square_of_the_taylor_estimate()
    {
        // One calibration sequence: OBD = ½·g²·w² and Taylor = |g·w| for the same gradient g.
        using var model = TinyModels.Create(9);
        var data = TrainingData.Varied(1, vocab: 64);
        var obd = Saliency.Compute(model, PruningCriterion.Obd, data, contextLength: 32, batchSize: 64);
        var taylor = Saliency.Compute(model, PruningCriterion.Taylor, data, contextLength: 32, batchSize: 64);

        foreach (var name in obd.Keys)
        {
            Assert.True(obd[name].allclose(taylor[name].square() * 0.5, rtol: 1e-4, atol: 1e-12), name);
            Assert.True(taylor[name].sum().item<float>() > 0, $"{name} has no gradient signal");
        }
        Assert.All(model.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0)); // gradients cleared
    }

    [Fact]
    public void Obd_uses_the_mean_of_per_sample_squared_gradients_not_the_square_of_the_batch_gradient()
    {
        // Per sample i, Taylor on that sample alone is |g_i·w|; the empirical Fisher's OBD is ½·w²·mean_i(g_i²) = ½·mean_i(Taylor_i²).
        using var model = TinyModels.Create(9);
        var data = TrainingData.Varied(3, vocab: 64);
        var obd = Saliency.Compute(model, PruningCriterion.Obd, data, contextLength: 32, batchSize: 64);
        var perSample = data.Select(sequence => Saliency.Compute(model, PruningCriterion.Taylor, [sequence], contextLength: 32, batchSize: 64)).ToList();

        foreach (var name in obd.Keys)
        {
            var expected = perSample.Select(t => t[name].square()).Aggregate((a, b) => a + b) * (0.5 / data.Length);
            Assert.True(obd[name].allclose(expected, rtol: 1e-3, atol: 1e-12), name);
        }
    }

    [Fact]
    public void Pruned_weights_stay_zero_through_fine_tuning_while_the_kept_ones_learn()
    {
        using var model = TinyModels.Create(13);
        var data = TrainingData.Varied(24, vocab: 64);
        using var mask = PruningMask.Build(Saliency.Compute(model, PruningCriterion.Magnitude), 0.5, PruningScope.Global);
        mask.Apply(model);
        var pruned = PrunableWeights.Of(model).ToDictionary(w => w.Name, w => w.Weight.detach().clone());
        using var trainer = new LanguageModelTrainer(model, data, new TrainingOptions { Epochs = 2, BatchSize = 4, ContextLength = 32, LearningRate = 3e-3, Seed = 1 })
        {
            AfterOptimizerStep = () => mask.Apply(model),
        };

        trainer.TrainEpoch(1);
        trainer.TrainEpoch(2);

        foreach (var (name, weight) in PrunableWeights.Of(model))
        {
            var removed = mask.Masks[name] == 0;
            Assert.Equal(0, weight.masked_select(removed).abs().sum().item<float>());
            Assert.False(weight.masked_select(~removed).equal(pruned[name].masked_select(~removed)).all().item<bool>(), $"{name} did not train");
        }
        Assert.Equal(0.5, PruningMask.SparsityOf(model), 3);
    }
}
