namespace Pipeline.Modelling.Training;

/// <summary>
/// Decides which training targets count in the loss (e.g. Goldfish loss). It sees the whole sequence a target belongs
/// to, never the packed row, so its decision cannot depend on packing or shuffling. Applied by
/// <see cref="SequencePacker"/> to training rows only; evaluation is never filtered.
/// </summary>
public interface ITargetFilter
{
    /// <summary>
    /// True to keep <c>sequence[targetIndex]</c> as a target (predicted from <c>sequence[..targetIndex]</c>);
    /// <paramref name="targetIndex"/> is in [1, sequence.Length).
    /// </summary>
    bool Keep(ReadOnlySpan<int> sequence, int targetIndex);
}
