using Pipeline.Modelling.Vision;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>
/// Filter pruning on a ResNet. <see cref="Remove"/> builds the smaller network: each removed filter's output channel
/// goes from its convolution and batch norm, and the matching input channel from every convolution (or the classifier)
/// that reads it — for a stage, the stem or projection, every block's second conv, the next stage's first block and
/// shortcut, and the classifier. <see cref="Zero"/> switches the same filters off in place: the convolution's rows and
/// the batch norm's γ and β become zero, so the channel is exactly zero after BN (zeroing the conv alone would leave β
/// passing through). In eval mode the two give the same outputs; that is what the tests check.
/// </summary>
public static class FilterSurgery
{
    public static ResNet Remove(ResNet model, FilterSelection selection)
    {
        var shape = model.Shape;
        if (!selection.Shape.SameAs(shape))
            throw new ArgumentException("the selection was made for a network of another shape");
        Tensor Index(FilterGroup group) => tensor(selection.KeptIn(group).Select(i => (long)i).ToArray());
        Tensor StageIndex(int stage) => Index(new FilterGroup(FilterGroupKind.Stage, stage));

        var pruned = new ResNet(selection.ShapeAfter());
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            CopyConv(model.Stem, pruned.Stem, StageIndex(0), null);
            CopyNorm(model.StemNorm, pruned.StemNorm, StageIndex(0));
            for (var b = 0; b < shape.BlockWidths.Count; b++)
            {
                var source = model.Blocks[b];
                var target = pruned.Blocks[b];
                var input = StageIndex(shape.HasProjection(b) ? shape.StageOf(b) - 1 : shape.StageOf(b));
                var inner = Index(new FilterGroup(FilterGroupKind.BlockInner, b));
                var output = StageIndex(shape.StageOf(b));
                CopyConv(source.Conv1, target.Conv1, inner, input);
                CopyNorm(source.Norm1, target.Norm1, inner);
                CopyConv(source.Conv2, target.Conv2, output, inner);
                CopyNorm(source.Norm2, target.Norm2, output);
                if (source.ShortcutConv is { } shortcut)
                {
                    CopyConv(shortcut, target.ShortcutConv!, output, input);
                    CopyNorm(source.ShortcutNorm!, target.ShortcutNorm!, output);
                }
            }
            pruned.Classifier.weight!.copy_(model.Classifier.weight!.index_select(1, StageIndex(ResNetShape.Stages - 1)));
            pruned.Classifier.bias!.copy_(model.Classifier.bias!);
            pruned.to(model.Stem.weight!.device);
            if (!model.training)
                pruned.eval();
            return pruned;
        }
        catch
        {
            pruned.Dispose();
            throw;
        }
    }

    /// <summary>Zeroes the filters the selection removes (conv rows, BN γ and β), in place.</summary>
    public static void Zero(ResNet model, FilterSelection selection)
    {
        var shape = model.Shape;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var group in FilterGroup.All(shape))
        {
            var mask = tensor(selection.MaskOf(group));
            if (group.Kind == FilterGroupKind.BlockInner)
            {
                ZeroFilters(model.Blocks[group.Index].Conv1, model.Blocks[group.Index].Norm1, mask);
                continue;
            }
            if (group.Index == 0)
                ZeroFilters(model.Stem, model.StemNorm, mask);
            for (var b = group.Index * shape.BlocksPerStage; b < (group.Index + 1) * shape.BlocksPerStage; b++)
            {
                ZeroFilters(model.Blocks[b].Conv2, model.Blocks[b].Norm2, mask);
                if (model.Blocks[b].ShortcutConv is { } shortcut)
                    ZeroFilters(shortcut, model.Blocks[b].ShortcutNorm!, mask);
            }
        }
    }

    private static void ZeroFilters(Conv2d conv, BatchNorm2d norm, Tensor mask)
    {
        conv.weight!.mul_(mask.view(-1, 1, 1, 1));
        norm.weight!.mul_(mask);
        norm.bias!.mul_(mask);
    }

    private static void CopyConv(Conv2d source, Conv2d target, Tensor outputs, Tensor? inputs)
    {
        var weight = source.weight!.index_select(0, outputs);
        if (inputs is not null)
            weight = weight.index_select(1, inputs);
        target.weight!.copy_(weight);
    }

    private static void CopyNorm(BatchNorm2d source, BatchNorm2d target, Tensor kept)
    {
        target.weight!.copy_(source.weight!.index_select(0, kept));
        target.bias!.copy_(source.bias!.index_select(0, kept));
        target.running_mean!.copy_(source.running_mean!.index_select(0, kept));
        target.running_var!.copy_(source.running_var!.index_select(0, kept));
    }
}
