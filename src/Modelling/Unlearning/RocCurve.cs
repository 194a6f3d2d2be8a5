namespace Pipeline.Modelling.Unlearning;

/// <summary>
/// How well a score separates positives (members) from negatives, where a higher score means "member": the area under
/// the ROC curve (the probability that a random positive outscores a random negative, ties counting ½) and the
/// attacker advantage, the largest |TPR − FPR| over all thresholds.
/// </summary>
public static class RocCurve
{
    public static double Auc(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        if (positives.Count == 0 || negatives.Count == 0) throw new ArgumentException("both sides need at least one score");
        // Mann–Whitney U from mid-ranks of the pooled scores.
        var pooled = positives.Select(s => (Score: s, Positive: true)).Concat(negatives.Select(s => (Score: s, Positive: false)))
            .OrderBy(x => x.Score).ToArray();
        double positiveRankSum = 0;
        for (var i = 0; i < pooled.Length;)
        {
            var j = i;
            while (j < pooled.Length && pooled[j].Score.Equals(pooled[i].Score)) j++;
            var midRank = (i + 1 + j) / 2.0;
            for (var t = i; t < j; t++)
                if (pooled[t].Positive) positiveRankSum += midRank;
            i = j;
        }
        var u = positiveRankSum - positives.Count * (positives.Count + 1) / 2.0;
        return u / ((double)positives.Count * negatives.Count);
    }

    public static double Advantage(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        if (positives.Count == 0 || negatives.Count == 0) throw new ArgumentException("both sides need at least one score");
        var thresholds = positives.Concat(negatives).Distinct().Order().ToArray();
        var best = 0.0;
        foreach (var threshold in thresholds)
        {
            var tpr = positives.Count(s => s >= threshold) / (double)positives.Count;
            var fpr = negatives.Count(s => s >= threshold) / (double)negatives.Count;
            best = Math.Max(best, Math.Abs(tpr - fpr));
        }
        return best;
    }
}
