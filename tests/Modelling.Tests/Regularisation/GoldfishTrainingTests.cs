using Pipeline.Modelling.Regularisation;
using Pipeline.Modelling.Training;
using Pipeline.Modelling.Tests.Training;

namespace Pipeline.Modelling.Tests.Regularisation;

/// <summary>The trainer with a <see cref="GoldfishFilter"/>: training counts fewer targets, evaluation all of them.</summary>
[Collection(TorchCollection.Name)]
public sealed class GoldfishTrainingTests
{
    private static readonly TrainingOptions Small = new()
    {
        Epochs = 2, BatchSize = 4, ContextLength = 32, LearningRate = 3e-3, Seed = 5, Threads = 2,
    };

    [Fact]
    public void Each_epoch_trains_on_the_kept_targets_only_and_the_same_number_in_both_shuffles()
    {
        var data = TrainingData.Varied(40, vocab: 64);
        var filter = new GoldfishFilter(k: 4, h: 13);
        var kept = data.Sum(s => Enumerable.Range(1, Math.Max(0, s.Length - 1)).Count(t => filter.Keep(s, t)));
        var all = data.Sum(s => Math.Max(0, s.Length - 1));
        using var model = TinyModels.Create(71);
        using var trainer = new LanguageModelTrainer(model, data, Small, targetFilter: filter);

        var first = trainer.TrainEpoch(1);
        var second = trainer.TrainEpoch(2);

        Assert.True(kept < all);
        Assert.Equal(kept, first.Tokens);
        Assert.Equal(kept, second.Tokens);
    }

    [Fact]
    public void Evaluation_is_never_filtered()
    {
        var data = TrainingData.Varied(20, vocab: 64);
        using var plainModel = TinyModels.Create(72);
        using var filteredModel = TinyModels.Create(72);
        using var plain = new LanguageModelTrainer(plainModel, data, Small);
        using var filtered = new LanguageModelTrainer(filteredModel, data, Small, targetFilter: new GoldfishFilter());

        Assert.Equal(plain.Evaluate(data), filtered.Evaluate(data));
    }
}
