using Pipeline.Modelling.Compression.Filters;
using Pipeline.Modelling.Vision;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Vision;

/// <summary>ResNets whose batch norms have non-trivial statistics and affine terms (fresh ones are the identity, which would hide mistakes).</summary>
internal static class RandomResNets
{
    public static ResNet Create(int seed, ResNetShape? shape = null)
    {
        manual_seed(seed);
        var model = new ResNet(shape ?? ResNetShape.Cifar());
        using var noGrad = no_grad();
        foreach (var norm in model.modules().OfType<TorchSharp.Modules.BatchNorm2d>())
        {
            norm.weight!.uniform_(0.5, 1.5);
            norm.bias!.uniform_(-0.3, 0.3);
            norm.running_mean!.uniform_(-0.2, 0.2);
            norm.running_var!.uniform_(0.5, 2.0);
        }
        model.eval();
        return model;
    }

    /// <summary>Keeps a random share (at least one) of every group's filters.</summary>
    public static FilterSelection RandomSelection(ResNetShape shape, int seed, double keep = 0.5)
    {
        var random = new Random(seed);
        var selection = new FilterSelection(shape);
        foreach (var group in FilterGroup.All(shape))
        {
            var width = group.WidthIn(shape);
            var order = Enumerable.Range(0, width).ToArray();
            random.Shuffle(order);
            selection.Keep(group, order.Take(Math.Max(1, (int)Math.Round(width * keep))));
        }
        return selection;
    }

    public static Tensor Images(int count, int seed, int size = 32)
    {
        manual_seed(seed);
        return randn(count, 1, size, size);
    }
}
