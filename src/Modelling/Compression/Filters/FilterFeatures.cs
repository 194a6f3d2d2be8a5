using Pipeline.Modelling.Vision;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>
/// What a pruning agent sees of each filter in a group (one row per filter): the log of its weights' L1 norm and of its
/// batch norm's |γ|, each relative to the group's mean, and its L2 norm likewise. For a stage, a filter is its channel in
/// every convolution that writes the stream, so the norms add over them. Relative, so one agent can read any layer.
/// </summary>
public static class FilterFeatures
{
    public const int Count = 3;

    public static Tensor Of(ResNet model, FilterGroup group)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var producers = Producers(model, group);
        var width = group.WidthIn(model.Shape);
        var l1 = zeros(width);
        var l2 = zeros(width);
        var gamma = zeros(width);
        foreach (var (conv, norm) in producers)
        {
            var rows = conv.weight!.detach().cpu().flatten(1);
            l1 += rows.abs().sum(1);
            l2 += rows.pow(2).sum(1);
            gamma += norm.weight!.detach().cpu().abs();
        }
        l2 = l2.sqrt();
        Tensor Relative(Tensor v) => (v + 1e-8).log() - (v.mean() + 1e-8).log();
        return stack([Relative(l1), Relative(gamma), Relative(l2)], 1).MoveToOuterDisposeScope();
    }

    /// <summary>The L1 norm of each filter (summed over a stage's writers): the uniform baseline's ranking.</summary>
    public static float[] L1Norms(ResNet model, FilterGroup group)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var total = zeros(group.WidthIn(model.Shape));
        foreach (var (conv, _) in Producers(model, group))
            total += conv.weight!.detach().cpu().flatten(1).abs().sum(1);
        return total.data<float>().ToArray();
    }

    /// <summary>The convolutions (with their batch norms) whose output channels are the group's filters.</summary>
    public static IReadOnlyList<(Conv2d Conv, BatchNorm2d Norm)> Producers(ResNet model, FilterGroup group)
    {
        var shape = model.Shape;
        if (group.Kind == FilterGroupKind.BlockInner)
            return [(model.Blocks[group.Index].Conv1, model.Blocks[group.Index].Norm1)];
        var producers = new List<(Conv2d, BatchNorm2d)>();
        if (group.Index == 0)
            producers.Add((model.Stem, model.StemNorm));
        for (var b = group.Index * shape.BlocksPerStage; b < (group.Index + 1) * shape.BlocksPerStage; b++)
        {
            producers.Add((model.Blocks[b].Conv2, model.Blocks[b].Norm2));
            if (model.Blocks[b].ShortcutConv is { } shortcut)
                producers.Add((shortcut, model.Blocks[b].ShortcutNorm!));
        }
        return producers;
    }
}
