using Pipeline.Modelling.Vision;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>
/// Which filters of each group a network keeps (sorted indices into the group's current filters); groups not named keep
/// all. <see cref="ShapeAfter"/> is the shape the network has once the others are removed.
/// </summary>
public sealed class FilterSelection
{
    private readonly Dictionary<FilterGroup, int[]> _kept = new();

    public FilterSelection(ResNetShape shape) => Shape = shape;

    public ResNetShape Shape { get; }

    public IReadOnlyList<int> KeptIn(FilterGroup group) =>
        _kept.TryGetValue(group, out var kept) ? kept : Enumerable.Range(0, group.WidthIn(Shape)).ToArray();

    /// <summary>Keeps <paramref name="kept"/> of the group (at least one: a group without filters would cut the network).</summary>
    public FilterSelection Keep(FilterGroup group, IEnumerable<int> kept)
    {
        var sorted = kept.Distinct().Order().ToArray();
        var width = group.WidthIn(Shape);
        if (sorted.Length == 0)
            throw new ArgumentException($"{group}: at least one filter must stay");
        if (sorted[0] < 0 || sorted[^1] >= width)
            throw new ArgumentException($"{group}: filter indices must be within 0..{width - 1}");
        _kept[group] = sorted;
        return this;
    }

    /// <summary>Keeps the filters whose mask entry is true (0/1 per filter).</summary>
    public FilterSelection Keep(FilterGroup group, IReadOnlyList<bool> mask) =>
        Keep(group, Enumerable.Range(0, mask.Count).Where(i => mask[i]));

    public ResNetShape ShapeAfter() => Shape with
    {
        StageWidths = Enumerable.Range(0, ResNetShape.Stages).Select(s => KeptIn(new FilterGroup(FilterGroupKind.Stage, s)).Count).ToArray(),
        BlockWidths = Enumerable.Range(0, Shape.BlockWidths.Count).Select(b => KeptIn(new FilterGroup(FilterGroupKind.BlockInner, b)).Count).ToArray(),
    };

    /// <summary>Per filter of the group: 1 when kept, 0 when removed.</summary>
    public float[] MaskOf(FilterGroup group)
    {
        var mask = new float[group.WidthIn(Shape)];
        foreach (var i in KeptIn(group))
            mask[i] = 1;
        return mask;
    }
}
