namespace Pipeline.Modelling.Compression.Filters;

/// <summary>
/// The rewards of the learned filter pruners. Try-and-learn (Huang et al., 2018): R = ψ·φ with the accuracy term
/// ψ = (b − (A − Â))/b — 1 when nothing is lost, 0 at the allowed drop b, negative beyond — and the efficiency term
/// φ = log(C/Ĉ), C filters before and Ĉ after. L2PF adds the compute its fine-tuning spends: R = ψ·φ − κ·d/D with d
/// the steps it chose out of at most D (our reading of "the reward also counts the fine-tuning compute"; κ is an option).
/// </summary>
public static class PruningReward
{
    /// <summary>ψ: how much of the allowed accuracy drop <paramref name="allowedDrop"/> is left.</summary>
    public static double Accuracy(double allowedDrop, double accuracyBefore, double accuracyAfter)
    {
        if (allowedDrop <= 0)
            throw new ArgumentOutOfRangeException(nameof(allowedDrop), "the allowed accuracy drop b must be positive");
        return (allowedDrop - (accuracyBefore - accuracyAfter)) / allowedDrop;
    }

    /// <summary>φ: the log of the layer's compression; Ĉ ≥ 1, since a group always keeps a filter.</summary>
    public static double Efficiency(int filtersBefore, int filtersAfter)
    {
        if (filtersAfter < 1 || filtersAfter > filtersBefore)
            throw new ArgumentOutOfRangeException(nameof(filtersAfter), $"kept filters must be within 1..{filtersBefore}");
        return Math.Log((double)filtersBefore / filtersAfter);
    }

    public static double TryAndLearn(double allowedDrop, double accuracyBefore, double accuracyAfter, int filtersBefore, int filtersAfter) =>
        Accuracy(allowedDrop, accuracyBefore, accuracyAfter) * Efficiency(filtersBefore, filtersAfter);

    /// <summary>L2PF's reward for a layer pruned to <paramref name="filtersAfter"/> and fine-tuned <paramref name="steps"/> of at most <paramref name="maxSteps"/>.</summary>
    public static double WithCompute(double allowedDrop, double accuracyBefore, double accuracyAfterFineTuning, int filtersBefore, int filtersAfter,
        int steps, int maxSteps, double computeWeight) =>
        TryAndLearn(allowedDrop, accuracyBefore, accuracyAfterFineTuning, filtersBefore, filtersAfter) - computeWeight * steps / Math.Max(1, maxSteps);
}
