namespace Pipeline.Modelling.Privacy;

/// <summary>
/// Maximum Distance to Average Vector microaggregation (Domingo-Ferrer and Torra), as the EUPG code runs it on the
/// preprocessed training features: while at least 3k records remain, take the record r farthest (Euclidean) from the
/// centroid of the remaining records and the record s farthest from r; r with its k−1 nearest remaining neighbours
/// forms a group, then s with its k−1 nearest. With 2k..3k−1 left, one more group around the record farthest from the
/// centroid, and the rest (k..2k−1) is the last group; with fewer than 2k left, they are the last group. Every group
/// therefore has k to 2k−1 records (when there are at least k records in all).
/// </summary>
public static class Mdav
{
    /// <summary>Groups of row indexes into <paramref name="features"/> (rows × width, row-major).</summary>
    public static List<int[]> Partition(ReadOnlySpan<float> features, int width, int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), "k must be at least 1");
        var rows = features.Length / width;
        if (rows < k) throw new ArgumentException($"k = {k} needs at least {k} records; there are {rows}", nameof(k));
        var remaining = Enumerable.Range(0, rows).ToList();
        var groups = new List<int[]>();
        var data = features.ToArray();
        while (remaining.Count >= 3 * k)
        {
            var r = Farthest(data, width, remaining, Centroid(data, width, remaining));
            remaining.Remove(r);
            var s = Farthest(data, width, remaining, data.AsSpan(r * width, width).ToArray());
            remaining.Remove(s);
            groups.Add(TakeGroup(data, width, remaining, r, k));
            groups.Add(TakeGroup(data, width, remaining, s, k));
        }
        if (remaining.Count >= 2 * k)
        {
            var r = Farthest(data, width, remaining, Centroid(data, width, remaining));
            remaining.Remove(r);
            groups.Add(TakeGroup(data, width, remaining, r, k));
        }
        if (remaining.Count > 0)
            groups.Add([.. remaining]);
        return groups;
    }

    /// <summary>Per group, the mean of its rows' features.</summary>
    public static float[] Centroid(float[] data, int width, IReadOnlyList<int> rows)
    {
        var sum = new double[width];
        foreach (var row in rows)
            for (var j = 0; j < width; j++)
                sum[j] += data[row * width + j];
        return sum.Select(v => (float)(v / rows.Count)).ToArray();
    }

    private static int Farthest(float[] data, int width, List<int> rows, float[] from)
    {
        var best = rows[0];
        var bestDistance = double.NegativeInfinity;
        foreach (var row in rows)
        {
            var d = SquaredDistance(data, width, row, from);
            if (d > bestDistance) (best, bestDistance) = (row, d);
        }
        return best;
    }

    /// <summary>The seed row (already out of the pool) and its k−1 nearest remaining rows (ties by row order), removed from the pool.</summary>
    private static int[] TakeGroup(float[] data, int width, List<int> remaining, int seed, int k)
    {
        var centre = data.AsSpan(seed * width, width).ToArray();
        var group = remaining
            .Select(r => (Row: r, Distance: SquaredDistance(data, width, r, centre)))
            .OrderBy(x => x.Distance).ThenBy(x => x.Row)
            .Take(k - 1).Select(x => x.Row).Prepend(seed).ToArray();
        var taken = group.ToHashSet();
        remaining.RemoveAll(taken.Contains);
        return group;
    }

    private static double SquaredDistance(float[] data, int width, int row, float[] point)
    {
        double sum = 0;
        var offset = row * width;
        for (var j = 0; j < width; j++)
        {
            var d = data[offset + j] - point[j];
            sum += d * d;
        }
        return sum;
    }
}
