using Pipeline.Modelling.Tabular;
using Pipeline.Modelling.Unlearning;

namespace Pipeline.Modelling.Tests.Unlearning;

[Collection(TorchCollection.Name)]
public sealed class MembershipAttacksTests
{
    [Fact]
    public void Members_and_non_members_from_one_distribution_score_near_one_half()
    {
        var aucs = Enumerable.Range(0, 5).Select(seed =>
        {
            var random = new Random(seed);
            return MembershipAttacks.Run(RandomOutputs(400, random), RandomOutputs(400, random), seed);
        }).ToList();

        foreach (var attack in aucs.SelectMany(a => a.Attacks))
            Assert.InRange(attack.Auc, 0.40, 0.60);
        Assert.InRange(aucs.Average(a => a.Attacks.Average(x => x.Auc)), 0.46, 0.54);
    }

    [Fact]
    public void A_model_that_memorised_its_members_is_found_out()
    {
        // Random features with random labels: nothing to generalise, so what the model knows of a row is the row itself.
        var random = new Random(3);
        var members = RandomRows(40, 8, random);
        var nonMembers = RandomRows(40, 8, random);
        using var model = TabularTraining.NewModel(8, 2, seed: 3);
        TabularTraining.Train(model, members, 300, new TabularTrainingOptions(BatchSize: 40), seed: 3);

        var result = MembershipAttacks.Run(
            new ClassifierOutputs(TabularTraining.Logits(model, members), 2, members.Labels),
            new ClassifierOutputs(TabularTraining.Logits(model, nonMembers), 2, nonMembers.Labels), seed: 3);

        Assert.True(result.MaxAuc > 0.9, $"max AUC {result.MaxAuc}");
        Assert.True(result.Attacks.Single(a => a.Attack == "loss_threshold").Auc > 0.9);
        Assert.True(result.MaxAdvantage > 0.6, $"advantage {result.MaxAdvantage}");
    }

    [Fact]
    public void Folds_keep_both_sides_in_every_fold()
    {
        var member = Enumerable.Range(0, 23).Select(i => i < 11).ToArray();
        var folds = MembershipAttacks.StratifiedFolds(member, 5, seed: 1);
        for (var f = 0; f < 5; f++)
        {
            Assert.Contains(Enumerable.Range(0, 23), i => folds[i] == f && member[i]);
            Assert.Contains(Enumerable.Range(0, 23), i => folds[i] == f && !member[i]);
        }
    }

    private static ClassifierOutputs RandomOutputs(int rows, Random random)
    {
        var logits = Enumerable.Range(0, rows * 2).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        return new ClassifierOutputs(logits, 2, Enumerable.Range(0, rows).Select(_ => random.Next(2)).ToArray());
    }

    internal static TabularMatrix RandomRows(int rows, int width, Random random, int classes = 2) =>
        new(Enumerable.Range(0, rows * width).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(),
            Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray(), width, classes, Enumerable.Range(0, rows).ToArray());
}
