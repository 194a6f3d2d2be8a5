using Pipeline.Modelling.Vision;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>
/// Measures the accuracy of the network with some of one group's filters switched off, on the reward images — the
/// agents' inner loop. Nothing before the group's first block changes, so that block's input is computed once.
/// </summary>
public sealed class GroupEvaluator : IDisposable
{
    private readonly ResNet _model;
    private readonly FilterGroup _group;
    private readonly int _firstBlock;
    private readonly Tensor? _prefix;
    private readonly ImageTensors _images;

    public GroupEvaluator(ResNet model, FilterGroup group, ImageTensors images)
    {
        _model = model;
        _group = group;
        _images = images;
        model.eval();
        // A stage's filters start at the stem (stage 0) or at the stage's first block; a block's at the block.
        _firstBlock = group.Kind == FilterGroupKind.BlockInner ? group.Index : group.Index * model.Shape.BlocksPerStage;
        if (!(group.Kind == FilterGroupKind.Stage && group.Index == 0))
        {
            using var noGrad = no_grad();
            _prefix = model.Prefix(images.Images, _firstBlock);
        }
    }

    public int Evaluations { get; private set; }

    public double Accuracy(IReadOnlyList<bool> keep)
    {
        Evaluations++;
        var selection = new FilterSelection(_model.Shape).Keep(_group, keep);
        using var gates = new FilterGates(_model, selection);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logits = _prefix is null ? _model.forward(_images.Images) : _model.ForwardFrom(_firstBlock, _prefix);
        return logits.argmax(1).eq(_images.Labels).to(ScalarType.Float32).mean().item<float>();
    }

    public void Dispose() => _prefix?.Dispose();
}
