namespace Pipeline.Modelling.Clustering;

/// <summary>
/// How well a clustering recovers known classes (the deep-clustering papers' three measures):
/// ACC, the share of points whose cluster maps to their class under the best one-to-one mapping (Hungarian matching);
/// NMI, mutual information over the arithmetic mean of the two entropies (scikit-learn's default normalisation);
/// ARI, the Rand index adjusted for chance (Hubert and Arabie, 1985).
/// </summary>
public static class ClusteringScores
{
    public static double Accuracy(IReadOnlyList<int> classes, IReadOnlyList<int> clusters)
    {
        var (table, _, _) = Contingency(classes, clusters);
        var size = Math.Max(table.GetLength(0), table.GetLength(1));
        // Hungarian matching maximises matched counts: minimise (max − count) on a square matrix padded with zeros.
        var max = 0L;
        foreach (var v in table) max = Math.Max(max, v);
        var cost = new long[size, size];
        for (var i = 0; i < size; i++)
        for (var j = 0; j < size; j++)
            cost[i, j] = max - (i < table.GetLength(0) && j < table.GetLength(1) ? table[i, j] : 0);
        var assignment = HungarianAssignment.Solve(cost);
        long matched = 0;
        for (var i = 0; i < table.GetLength(0); i++)
            if (assignment[i] < table.GetLength(1))
                matched += table[i, assignment[i]];
        return (double)matched / classes.Count;
    }

    public static double NormalisedMutualInformation(IReadOnlyList<int> classes, IReadOnlyList<int> clusters)
    {
        var (table, rows, columns) = Contingency(classes, clusters);
        double n = classes.Count, information = 0;
        for (var i = 0; i < rows.Length; i++)
        for (var j = 0; j < columns.Length; j++)
            if (table[i, j] > 0)
                information += table[i, j] / n * Math.Log(n * table[i, j] / ((double)rows[i] * columns[j]));
        var entropies = (Entropy(rows, n) + Entropy(columns, n)) / 2;
        return entropies == 0 ? 1 : information / entropies;
    }

    public static double AdjustedRandIndex(IReadOnlyList<int> classes, IReadOnlyList<int> clusters)
    {
        var (table, rows, columns) = Contingency(classes, clusters);
        static double Pairs(long count) => count * (count - 1) / 2.0;
        double together = 0;
        foreach (var v in table) together += Pairs(v);
        var rowPairs = rows.Sum(Pairs);
        var columnPairs = columns.Sum(Pairs);
        var expected = rowPairs * columnPairs / Pairs(classes.Count);
        var maximum = (rowPairs + columnPairs) / 2;
        return maximum == expected ? 1 : (together - expected) / (maximum - expected);
    }

    private static double Entropy(long[] counts, double n) => -counts.Where(c => c > 0).Sum(c => c / n * Math.Log(c / n));

    /// <summary>Counts of (class, cluster) pairs, with the classes and clusters renumbered 0.. in order of first appearance.</summary>
    private static (long[,] Table, long[] Rows, long[] Columns) Contingency(IReadOnlyList<int> classes, IReadOnlyList<int> clusters)
    {
        if (classes.Count != clusters.Count || classes.Count == 0)
            throw new ArgumentException($"need as many cluster labels as classes, and at least one ({classes.Count} vs {clusters.Count})");
        var classIndex = new Dictionary<int, int>();
        var clusterIndex = new Dictionary<int, int>();
        foreach (var c in classes) classIndex.TryAdd(c, classIndex.Count);
        foreach (var c in clusters) clusterIndex.TryAdd(c, clusterIndex.Count);
        var table = new long[classIndex.Count, clusterIndex.Count];
        var rows = new long[classIndex.Count];
        var columns = new long[clusterIndex.Count];
        for (var i = 0; i < classes.Count; i++)
        {
            var (r, c) = (classIndex[classes[i]], clusterIndex[clusters[i]]);
            table[r, c]++;
            rows[r]++;
            columns[c]++;
        }
        return (table, rows, columns);
    }
}
