namespace Pipeline.Modelling.Memorisation;

/// <summary>
/// The "best n-gram" stopping rule on the n-gram score's excess over held-out (ngram_score − ngram_score_heldout),
/// epoch by epoch: stop when the excess has stood more than Delta above its running minimum for Patience epochs in a
/// row (memorisation is starting), or when it passes the absolute Threshold.
/// </summary>
public sealed record NgramEarlyStoppingRule(double Delta, double Threshold, int Patience)
{
    public static readonly NgramEarlyStoppingRule Default = new(Delta: 0.05, Threshold: 0.5, Patience: 2);

    /// <summary>
    /// The first epoch at which the excess stands more than Delta above its running minimum: where memorisation
    /// starts to show in the n-gram score (the rise the rule waits Patience epochs to confirm). Null if never.
    /// </summary>
    public int? FirstRiseEpoch(IReadOnlyList<(int Epoch, double Excess)> excessByEpoch)
    {
        var runningMinimum = double.PositiveInfinity;
        foreach (var (epoch, excess) in excessByEpoch)
        {
            runningMinimum = Math.Min(runningMinimum, excess);
            if (excess - runningMinimum > Delta)
                return epoch;
        }
        return null;
    }

    /// <summary>Null to go on, or the reason to stop, naming the rule that fired.</summary>
    public string? Evaluate(IReadOnlyList<(int Epoch, double Excess)> excessByEpoch)
    {
        if (excessByEpoch.Count == 0)
            return null;
        var (lastEpoch, last) = excessByEpoch[^1];
        if (last > Threshold)
            return $"threshold: n-gram excess over held-out {last:0.###} at epoch {lastEpoch} is above τ = {Threshold:0.###}";

        var runningMinimum = double.PositiveInfinity;
        var risingFor = 0;
        foreach (var (_, excess) in excessByEpoch)
        {
            runningMinimum = Math.Min(runningMinimum, excess);
            risingFor = excess - runningMinimum > Delta ? risingFor + 1 : 0;
        }
        return risingFor >= Patience
            ? $"rise: n-gram excess over held-out {last:0.###} has stood more than δ = {Delta:0.###} above its running minimum " +
              $"{runningMinimum:0.###} for {risingFor} epochs (patience {Patience})"
            : null;
    }
}
