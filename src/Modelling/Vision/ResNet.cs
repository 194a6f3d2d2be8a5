using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Modelling.Vision;

/// <summary>A CIFAR-style ResNet of the given <see cref="ResNetShape"/> (ResNet20 by default widths): images to class logits.</summary>
public sealed class ResNet : Module<Tensor, Tensor>
{
    private readonly Conv2d stem;
    private readonly BatchNorm2d stem_bn;
    private readonly ModuleList<ResidualBlock> blocks;
    private readonly Linear fc;

    public ResNet(ResNetShape shape) : base(nameof(ResNet))
    {
        shape.Validate();
        Shape = shape;
        stem = Conv2d(shape.InChannels, shape.StageWidths[0], 3, padding: 1, bias: false);
        stem_bn = BatchNorm2d(shape.StageWidths[0]);
        blocks = new ModuleList<ResidualBlock>();
        for (var b = 0; b < shape.BlockWidths.Count; b++)
            blocks.Add(new ResidualBlock(shape.InputWidthOf(b), shape.BlockWidths[b], shape.StageWidths[shape.StageOf(b)], shape.StrideOf(b), shape.HasProjection(b)));
        fc = Linear(shape.StageWidths[^1], shape.Classes);
        RegisterComponents();
    }

    public ResNetShape Shape { get; }

    public Conv2d Stem => stem;
    public BatchNorm2d StemNorm => stem_bn;
    public IReadOnlyList<ResidualBlock> Blocks => blocks.ToList();
    public Linear Classifier => fc;

    /// <summary>Multiplies the first stage's stream after the stem (with the blocks' output gates: a stage's channels off).</summary>
    public Tensor? StemGate { get; set; }

    public override Tensor forward(Tensor images) => ForwardFrom(0, Prefix(images, 0));

    /// <summary>
    /// The input of block <paramref name="block"/> (the stem's output for block 0). Pruning one group changes nothing
    /// before its first block, so the agents compute this once and try many choices on <see cref="ForwardFrom"/>.
    /// </summary>
    public Tensor Prefix(Tensor images, int block)
    {
        using var scope = NewDisposeScope();
        var x = functional.relu(stem_bn.forward(stem.forward(images)));
        if (StemGate is { } g)
            x = x * g.view(1, -1, 1, 1);
        for (var b = 0; b < block; b++)
            x = blocks[b].forward(x);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>The logits from block <paramref name="block"/>'s input on.</summary>
    public Tensor ForwardFrom(int block, Tensor x)
    {
        using var scope = NewDisposeScope();
        for (var b = block; b < blocks.Count; b++)
            x = blocks[b].forward(x);
        var pooled = functional.adaptive_avg_pool2d(x, [1, 1]).flatten(1);
        return fc.forward(pooled).MoveToOuterDisposeScope();
    }

    /// <summary>Switches every gate off (all channels on).</summary>
    public void ClearGates()
    {
        StemGate = null;
        foreach (var block in blocks)
            block.InnerGate = block.OutputGate = null;
    }
}
