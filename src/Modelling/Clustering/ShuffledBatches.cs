namespace Pipeline.Modelling.Clustering;

/// <summary>One epoch's mini-batches: row indices 0..n−1 in a fresh seeded order, cut into batches (the last may be short).</summary>
public static class ShuffledBatches
{
    public static IEnumerable<long[]> Of(int count, int batchSize, Random random)
    {
        var order = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        random.Shuffle(order);
        for (var start = 0; start < count; start += batchSize)
            yield return order[start..Math.Min(count, start + batchSize)];
    }
}
