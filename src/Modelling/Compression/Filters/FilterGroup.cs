using Pipeline.Modelling.Vision;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>What a group of filters is: a stage's residual stream, or one block's inner convolution.</summary>
public enum FilterGroupKind
{
    /// <summary>The channels of a stage's residual stream: written by the stem or projection and every block's second conv.</summary>
    Stage,

    /// <summary>The filters of one block's first convolution (read only by that block's second).</summary>
    BlockInner,
}

/// <summary>
/// A set of filters that must be pruned together for the network to stay consistent: the unit a pruning agent acts on,
/// its "layer". A residual stream's channel is one filter in each convolution that adds into it, so the stage is pruned
/// as one group; a block's inner filters are a group on their own.
/// </summary>
public sealed record FilterGroup(FilterGroupKind Kind, int Index)
{
    public string Name => Kind == FilterGroupKind.Stage ? $"stage{Index}" : $"block{Index}";

    public int WidthIn(ResNetShape shape) => Kind == FilterGroupKind.Stage ? shape.StageWidths[Index] : shape.BlockWidths[Index];

    /// <summary>Every group of the shape, from the input to the output: each stage's stream before its blocks' inner filters.</summary>
    public static IReadOnlyList<FilterGroup> All(ResNetShape shape)
    {
        var groups = new List<FilterGroup>();
        for (var s = 0; s < ResNetShape.Stages; s++)
        {
            groups.Add(new FilterGroup(FilterGroupKind.Stage, s));
            for (var b = s * shape.BlocksPerStage; b < (s + 1) * shape.BlocksPerStage; b++)
                groups.Add(new FilterGroup(FilterGroupKind.BlockInner, b));
        }
        return groups;
    }

    public override string ToString() => Name;
}
