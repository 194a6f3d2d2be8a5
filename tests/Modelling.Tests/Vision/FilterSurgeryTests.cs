using Pipeline.Modelling.Compression.Filters;
using Pipeline.Modelling.Tests.Support;
using Pipeline.Modelling.Vision;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Vision;

[Collection(TorchCollection.Name)]
public sealed class FilterSurgeryTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.25)]
    [InlineData(0.9)]
    public void Removing_filters_gives_the_outputs_of_zeroing_them_through_the_residual_blocks(double keep)
    {
        using var model = RandomResNets.Create(3);
        var selection = RandomResNets.RandomSelection(model.Shape, seed: 11, keep);
        using var images = RandomResNets.Images(6, seed: 4);

        using var pruned = FilterSurgery.Remove(model, selection);
        pruned.eval();
        FilterSurgery.Zero(model, selection);
        using var noGrad = no_grad();
        using var zeroed = model.forward(images);
        using var removed = pruned.forward(images);

        Assert.Equal([6L, 10], removed.shape);
        Assert.True(allclose(removed, zeroed, rtol: 1e-4, atol: 1e-5), $"max difference {(removed - zeroed).abs().max().item<float>()}");
    }

    [Fact]
    public void The_removed_network_is_smaller_by_exactly_what_its_shape_says_and_every_tensor_follows_it()
    {
        using var model = RandomResNets.Create(5);
        var selection = RandomResNets.RandomSelection(model.Shape, seed: 2, keep: 0.5);
        using var pruned = FilterSurgery.Remove(model, selection);

        var shape = pruned.Shape;
        Assert.Equal([8, 16, 32], shape.StageWidths);
        Assert.Equal([8, 8, 8, 16, 16, 16, 32, 32, 32], shape.BlockWidths);
        // The next stage's first block reads the pruned previous stream, and its projection matches the new stream.
        Assert.Equal([16L, 8, 3, 3], pruned.Blocks[3].Conv1.weight!.shape);
        Assert.Equal([16L, 8, 1, 1], pruned.Blocks[3].ShortcutConv!.weight!.shape);
        Assert.Equal([10L, 32], pruned.Classifier.weight!.shape);
        var counted = pruned.parameters().Sum(p => p.numel());
        Assert.Equal(ModelCost.Of(shape).Parameters, counted);
        Assert.True(ModelCost.Of(shape).Parameters < ModelCost.Of(model.Shape).Parameters / 3.0);
        Assert.True(ModelCost.Of(shape).Flops < ModelCost.Of(model.Shape).Flops / 3.0);
    }

    [Fact]
    public void Gating_filters_off_computes_what_zeroing_them_does_and_clearing_the_gates_restores_the_network()
    {
        using var model = RandomResNets.Create(7);
        var selection = RandomResNets.RandomSelection(model.Shape, seed: 9, keep: 0.4);
        using var images = RandomResNets.Images(4, seed: 1);
        using var noGrad = no_grad();
        using var original = model.forward(images);
        Tensor gated;
        using (new FilterGates(model, selection))
            gated = model.forward(images);
        using var restored = model.forward(images);

        FilterSurgery.Zero(model, selection);
        using var zeroed = model.forward(images);
        Assert.True(allclose(gated, zeroed, rtol: 1e-4, atol: 1e-5));
        Assert.True(allclose(restored, original));
        Assert.False(allclose(gated, original, rtol: 1e-2, atol: 1e-3));
        gated.Dispose();
    }

    [Fact]
    public void A_pruned_checkpoint_loads_back_to_the_same_network()
    {
        using var folder = new TemporaryFolder();
        using var model = RandomResNets.Create(8);
        using var pruned = FilterSurgery.Remove(model, RandomResNets.RandomSelection(model.Shape, seed: 3, keep: 0.3));
        ResNetCheckpoint.Save(pruned, new ImageNormalisation(0.28f, 0.35f), folder.Path, "fashion-mnist");

        var (loaded, normalisation, dataset) = ResNetCheckpoint.Load(folder.Path);
        using var _ = loaded;
        using var images = RandomResNets.Images(3, seed: 6);
        using var noGrad = no_grad();
        pruned.eval();
        Assert.True(ResNetCheckpoint.IsResNet(folder.Path));
        Assert.True(loaded.Shape.SameAs(pruned.Shape));
        Assert.Equal(0.35f, normalisation.Sd);
        Assert.Equal("fashion-mnist", dataset);
        Assert.True(loaded.forward(images).allclose(pruned.forward(images), rtol: 0, atol: 0));
    }

    [Fact]
    public void A_checkpoint_whose_weights_do_not_fit_its_config_is_refused_with_the_tensor_named()
    {
        using var folder = new TemporaryFolder();
        using var model = RandomResNets.Create(8);
        using var pruned = FilterSurgery.Remove(model, RandomResNets.RandomSelection(model.Shape, seed: 3, keep: 0.5));
        ResNetCheckpoint.Save(pruned, new ImageNormalisation(0.28f, 0.35f), folder.Path);
        File.WriteAllText(folder.File("config.json"), model.Shape.ToJson().Replace("}", ", \"pixel_mean\": 0.2, \"pixel_sd\": 0.3 }"));

        var refused = Assert.Throws<Pipeline.Modelling.Checkpoints.CheckpointException>(() => ResNetCheckpoint.Load(folder.Path));
        Assert.Contains("stem.weight", refused.Message);
    }
}
