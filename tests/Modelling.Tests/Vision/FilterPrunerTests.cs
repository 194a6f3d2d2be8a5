using Pipeline.Modelling.Compression.Filters;
using Pipeline.Modelling.Vision;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Vision;

/// <summary>The three pruners end to end on a small ResNet and a learnable synthetic image task, with tiny budgets.</summary>
[Collection(TorchCollection.Name)]
public sealed class FilterPrunerTests
{
    private static readonly FilterPruningOptions Tiny = new() { Episodes = 3, MinEpisodes = 1, Samples = 3, FineTuneSteps = 4, FinalSteps = 2, UniformKeep = 0.5 };

    [Theory]
    [InlineData("l2pf")]
    [InlineData("try-and-learn")]
    [InlineData("l1-filters")]
    public void A_pruner_returns_a_smaller_working_network_leaves_its_input_untouched_and_accounts_for_its_fine_tuning(string method)
    {
        var (train, reward) = SyntheticImages();
        using var _ = train;
        using var __ = reward;
        using var model = RandomResNets.Create(4, ResNetShape.Cifar(blocksPerStage: 1, classes: 2, imageSize: 12));
        var before = model.parameters().Select(p => p.clone()).ToList();

        var outcome = FilterPruningMethod.Create(method).Prune(model, new FilterPruningData(train, reward), Tiny);
        using var pruned = outcome.Model;

        var groups = FilterGroup.All(model.Shape);
        Assert.Equal(groups.Count, outcome.Layers.Count);
        Assert.All(groups.Zip(outcome.Layers), pair => Assert.InRange(pair.Second.Kept, 1, pair.First.WidthIn(model.Shape)));
        Assert.All(groups.Zip(outcome.Layers), pair => Assert.Equal(pair.Second.Kept, pair.First.WidthIn(pruned.Shape)));
        Assert.True(ModelCost.Of(pruned.Shape).Parameters <= ModelCost.Of(model.Shape).Parameters);
        using (no_grad())
            Assert.Equal([5L, 2], pruned.forward(train.Images.narrow(0, 0, 5)).shape);
        Assert.All(model.parameters().Zip(before), pair => Assert.True(pair.First.allclose(pair.Second, 0, 0)));

        var layerSteps = outcome.Layers.Sum(l => l.FineTuneSteps);
        switch (method)
        {
            case "try-and-learn":
                Assert.All(outcome.Layers, l => Assert.Equal(Tiny.FineTuneSteps, l.FineTuneSteps));
                Assert.Equal(layerSteps + Tiny.FinalSteps, outcome.FineTuneSteps);
                break;
            case "l2pf":
                Assert.All(outcome.Layers, l => Assert.InRange(l.FineTuneSteps, 0, Tiny.FineTuneSteps));
                Assert.Equal(layerSteps + Tiny.FinalSteps, outcome.FineTuneSteps);
                break;
            default:
                Assert.All(groups.Zip(outcome.Layers), pair => Assert.Equal((int)Math.Round(pair.First.WidthIn(model.Shape) * 0.5), pair.Second.Kept));
                Assert.Equal(Tiny.FineTuneSteps * groups.Count + Tiny.FinalSteps, outcome.FineTuneSteps);
                break;
        }
        foreach (var t in before) t.Dispose();
    }

    [Fact]
    public void Uniform_l1_pruning_keeps_the_filters_with_the_largest_l1_norms()
    {
        using var model = RandomResNets.Create(6, ResNetShape.Cifar(blocksPerStage: 1, classes: 2, imageSize: 12));
        var group = new FilterGroup(FilterGroupKind.BlockInner, 1);
        var norms = FilterFeatures.L1Norms(model, group);
        var (train, reward) = SyntheticImages();
        using var _ = train;
        using var __ = reward;
        // No fine-tuning, so the kept filters' weights can be found in the pruned network unchanged.
        var outcome = new UniformL1Pruner().Prune(model, new FilterPruningData(train, reward), Tiny with { FineTuneSteps = 0, FinalSteps = 0 });
        using var pruned = outcome.Model;

        var expected = Enumerable.Range(0, norms.Length).OrderByDescending(i => norms[i]).Take(16).Order().Select(i => (long)i).ToArray();
        // Without fine-tuning the kept filters' batch-norm scales come over unchanged, in order: they name the filters kept.
        using var expectedScales = model.Blocks[1].Norm1.weight!.index_select(0, tensor(expected));
        Assert.Equal(16, pruned.Shape.BlockWidths[1]);
        Assert.True(pruned.Blocks[1].Norm1.weight!.allclose(expectedScales, 0, 0));
    }

    /// <summary>12×12 images whose class is whether the top half is brighter than the bottom half.</summary>
    private static (ImageTensors Train, ImageTensors Reward) SyntheticImages()
    {
        var random = new Random(1);
        byte[] Pixels(int count, out byte[] labels)
        {
            var pixels = new byte[count * 144];
            labels = new byte[count];
            for (var i = 0; i < count; i++)
            {
                labels[i] = (byte)random.Next(2);
                for (var p = 0; p < 144; p++)
                {
                    var top = p < 72;
                    var bright = top == (labels[i] == 1);
                    pixels[i * 144 + p] = (byte)Math.Clamp((bright ? 170 : 80) + random.Next(-60, 60), 0, 255);
                }
            }
            return pixels;
        }
        var trainSet = new ImageSet(Pixels(160, out var trainLabels), trainLabels, 12, 12, ["bottom", "top"]);
        var rewardSet = new ImageSet(Pixels(60, out var rewardLabels), rewardLabels, 12, 12, ["bottom", "top"]);
        var normalisation = ImageNormalisation.Of(trainSet);
        return (new ImageTensors(trainSet, 12, normalisation), new ImageTensors(rewardSet, 12, normalisation));
    }
}
