using Pipeline.Modelling.Privacy;
using Pipeline.Modelling.Tabular;
using Pipeline.Modelling.Unlearning;

namespace Pipeline.Modelling.Tests.Unlearning;

/// <summary>Each method forgets the way it says: from scratch, from the phase-1 model, or only the shards concerned.</summary>
[Collection(TorchCollection.Name)]
public sealed class UnlearningMethodTests
{
    private static readonly UnlearningBudget Budget = new(Epochs: 20, FineTuneEpochs: 3, Hidden: 16) { Training = new TabularTrainingOptions(BatchSize: 32) };

    [Fact]
    public void Retraining_forgets_by_training_from_the_initial_weights_on_the_retained_rows()
    {
        var (train, test) = Data();
        int[] forget = [1, 5, 9, 30];
        using var method = new RetrainFromScratch(Budget, seed: 4);
        method.Learn(train);
        var before = method.Outputs(test).Logits;
        method.Forget(forget);

        using var reference = TabularTraining.NewModel(train.Width, train.Classes, 4, Budget.Hidden);
        TabularTraining.Train(reference, train.Select(Enumerable.Range(0, train.Rows).Except(forget).ToArray()), Budget.Epochs, Budget.Training, 4);

        Assert.Equal(TabularTraining.Logits(reference, test), method.Outputs(test).Logits);
        Assert.NotEqual(before, method.Outputs(test).Logits);
    }

    [Fact]
    public void Eupg_forgets_by_fine_tuning_the_model_that_only_saw_protected_data()
    {
        var (train, test) = Data();
        int[] forget = [0, 2, 4, 6];
        var protectedRows = TrainingDataProtection.KAnonymous(train, 5);
        using var method = new Eupg("eupg_k", data => TrainingDataProtection.KAnonymous(data, 5), Budget, seed: 6);
        method.Learn(train);
        var deployed = method.Outputs(test).Logits;
        method.Forget(forget);

        // Phase 1 by hand: the same seed on the same protected rows gives the same model.
        using var phase1 = TabularTraining.NewModel(train.Width, train.Classes, 6, Budget.Hidden);
        TabularTraining.Train(phase1, protectedRows, Budget.Epochs, Budget.Training, 6);
        Assert.Equal(TabularTraining.Logits(phase1, test), TabularTraining.Logits(method.ProtectedModel!, test));
        using var phase3 = phase1.Copy();
        TabularTraining.Train(phase3, train.Select(Enumerable.Range(0, train.Rows).Except(forget).ToArray()), Budget.FineTuneEpochs, Budget.Training, 7);

        Assert.Equal(TabularTraining.Logits(phase3, test), method.Outputs(test).Logits);
        Assert.NotEqual(deployed, method.Outputs(test).Logits);
    }

    [Fact]
    public void Sisa_retrains_only_the_shards_that_held_a_forgotten_row()
    {
        var (train, test) = Data();
        using var method = new Sisa(Budget, seed: 8, shards: 4, slices: 3);
        method.Learn(train);
        var before = method.Outputs(test).Logits;

        method.Forget([0]);
        Assert.Equal(1, method.ShardsRetrained);
        Assert.NotEqual(before, method.Outputs(test).Logits);

        method.Forget(Enumerable.Range(0, train.Rows).ToArray()[1..]);
        Assert.Equal(4, method.ShardsRetrained);
    }

    [Fact]
    public void Sisa_ensemble_outputs_are_log_probabilities()
    {
        var (train, test) = Data();
        using var method = new Sisa(Budget, seed: 2, shards: 3, slices: 2);
        method.Learn(train);
        var outputs = method.Outputs(test);
        for (var r = 0; r < test.Rows; r++)
            Assert.Equal(1.0, Math.Exp(outputs.Logits[r * 2]) + Math.Exp(outputs.Logits[r * 2 + 1]), 4);
    }

    private static (TabularMatrix Train, TabularMatrix Test) Data()
    {
        // Two classes separated along the first feature, with noise.
        var random = new Random(1);
        TabularMatrix Make(int rows)
        {
            var labels = Enumerable.Range(0, rows).Select(i => i % 2).ToArray();
            var features = Enumerable.Range(0, rows * 4).Select(i => (float)((i % 4 == 0 ? labels[i / 4] * 2 - 1 : 0) + random.NextDouble() - 0.5)).ToArray();
            return new TabularMatrix(features, labels, 4, 2, Enumerable.Range(0, rows).ToArray());
        }
        return (Make(96), Make(40));
    }
}
