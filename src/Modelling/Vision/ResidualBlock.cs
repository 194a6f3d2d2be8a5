using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Modelling.Vision;

/// <summary>
/// A basic block: 3×3 conv → BN → ReLU → 3×3 conv → BN, plus the shortcut, then ReLU. The shortcut is the identity,
/// or (where the block changes width and resolution) a 1×1 strided conv with BN — He et al.'s option B, chosen over
/// zero-padding (option A) because a projection's output channels can be pruned with the stage, keeping the residual
/// sum consistent. <paramref name="innerGate"/> and <paramref name="outputGate"/> (0/1 per channel) switch filters off
/// without copying weights: how the pruning agents try a choice before it is made for good.
/// </summary>
public sealed class ResidualBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? shortcut;

    public ResidualBlock(int inputs, int inner, int outputs, int stride, bool projection) : base(nameof(ResidualBlock))
    {
        conv1 = Conv2d(inputs, inner, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(inner);
        conv2 = Conv2d(inner, outputs, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(outputs);
        if (projection)
            shortcut = Sequential(("conv", Conv2d(inputs, outputs, 1, stride: stride, bias: false)), ("bn", BatchNorm2d(outputs)));
        else if (inputs != outputs || stride != 1)
            throw new ArgumentException($"an identity shortcut needs the same width and stride 1 ({inputs}→{outputs}, stride {stride})");
        RegisterComponents();
    }

    public Conv2d Conv1 => conv1;
    public BatchNorm2d Norm1 => bn1;
    public Conv2d Conv2 => conv2;
    public BatchNorm2d Norm2 => bn2;
    public Conv2d? ShortcutConv => (Conv2d?)shortcut?[0];
    public BatchNorm2d? ShortcutNorm => (BatchNorm2d?)shortcut?[1];

    /// <summary>Multiplies the block's inner channels after BN (null: all on).</summary>
    public Tensor? InnerGate { get; set; }

    /// <summary>Multiplies the block's output channels after the final ReLU (null: all on).</summary>
    public Tensor? OutputGate { get; set; }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var inner = bn1.forward(conv1.forward(input));
        if (InnerGate is { } g)
            inner = inner * g.view(1, -1, 1, 1);
        var branch = bn2.forward(conv2.forward(functional.relu(inner)));
        var residual = shortcut is null ? input : shortcut.forward(input);
        var output = functional.relu(branch + residual);
        if (OutputGate is { } o)
            output = output * o.view(1, -1, 1, 1);
        return output.MoveToOuterDisposeScope();
    }
}
