using Pipeline.Modelling.Privacy;
using Pipeline.Modelling.Tabular;

namespace Pipeline.Modelling.Tests.Privacy;

public sealed class MdavTests
{
    [Theory]
    [InlineData(203, 5, 10, 1)]
    [InlineData(100, 3, 10, 2)]
    [InlineData(27, 4, 3, 3)]
    [InlineData(15, 2, 10, 4)]  // fewer than 2k: one group of all
    [InlineData(25, 2, 10, 5)]  // 2k..3k−1: a group of k and the rest
    public void Groups_cover_every_record_once_with_k_to_2k_minus_1_members(int rows, int width, int k, int seed)
    {
        var data = RandomFeatures(rows, width, seed);

        var groups = Mdav.Partition(data, width, k);

        Assert.Equal(Enumerable.Range(0, rows), groups.SelectMany(g => g).Order());
        Assert.All(groups, g => Assert.InRange(g.Length, k, 2 * k - 1));
    }

    [Fact]
    public void Every_record_is_replaced_by_the_mean_of_its_group_and_keeps_its_label()
    {
        const int rows = 64, width = 3, k = 5;
        var features = RandomFeatures(rows, width, 9);
        var labels = Enumerable.Range(0, rows).Select(i => i % 3).ToArray();
        var data = new TabularMatrix(features, labels, width, 3, Enumerable.Range(0, rows).ToArray());

        var anonymous = TrainingDataProtection.KAnonymous(data, k);

        Assert.Equal(labels, anonymous.Labels);
        foreach (var group in Mdav.Partition(features, width, k))
            for (var j = 0; j < width; j++)
            {
                var mean = group.Average(r => (double)features[r * width + j]);
                foreach (var row in group)
                    Assert.Equal(mean, anonymous.Features[row * width + j], 5);
            }
        // k-anonymous: each distinct feature vector is shared by at least k records.
        var vectors = Enumerable.Range(0, rows).GroupBy(r => string.Join(",", anonymous.Row(r).ToArray()));
        Assert.All(vectors, v => Assert.True(v.Count() >= k));
    }

    [Fact]
    public void The_first_group_is_built_around_the_record_farthest_from_the_centroid()
    {
        // Nine points near the origin and one far away: the far one starts the first group.
        float[] data = [0, 0, 0.1f, 0, 0, 0.1f, 0.1f, 0.1f, 0.2f, 0, 0, 0.2f, 0.2f, 0.2f, 0.3f, 0, 0, 0.3f, 9, 9];
        var groups = Mdav.Partition(data, 2, 3);
        Assert.Equal(9, groups[0][0]);
    }

    [Fact]
    public void Fewer_records_than_k_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Mdav.Partition(new float[4], 2, 3));
    }

    internal static float[] RandomFeatures(int rows, int width, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * width).Select(_ => (float)(random.NextDouble() * 10 - 5)).ToArray();
    }
}
