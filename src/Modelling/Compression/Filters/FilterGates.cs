using Pipeline.Modelling.Vision;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>
/// Tries a selection without copying weights: sets the network's channel gates to the selection's 0/1 masks, so a
/// removed filter's channel is zero from where it is produced on — the same outputs as <see cref="FilterSurgery.Zero"/>.
/// Disposing clears the gates again.
/// </summary>
public sealed class FilterGates : IDisposable
{
    private readonly ResNet _model;
    private readonly List<Tensor> _masks = [];

    public FilterGates(ResNet model, FilterSelection selection)
    {
        _model = model;
        var device = model.Stem.weight!.device;
        var shape = model.Shape;
        foreach (var group in FilterGroup.All(shape))
        {
            var mask = tensor(selection.MaskOf(group), device: device);
            _masks.Add(mask);
            if (group.Kind == FilterGroupKind.BlockInner)
            {
                model.Blocks[group.Index].InnerGate = mask;
                continue;
            }
            if (group.Index == 0)
                model.StemGate = mask;
            for (var b = group.Index * shape.BlocksPerStage; b < (group.Index + 1) * shape.BlocksPerStage; b++)
                model.Blocks[b].OutputGate = mask;
        }
    }

    public void Dispose()
    {
        _model.ClearGates();
        foreach (var mask in _masks)
            mask.Dispose();
    }
}
