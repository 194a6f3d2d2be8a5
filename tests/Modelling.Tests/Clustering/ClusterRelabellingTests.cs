using Pipeline.Modelling.Clustering;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Clustering;

[Collection(TorchCollection.Name)]
public sealed class ClusterRelabellingTests
{
    [Fact]
    public void The_same_partition_under_other_numbers_gets_the_earlier_numbers_and_its_centroids_follow()
    {
        int[] previous = [0, 0, 1, 1, 2, 2, 2];
        // The same groups numbered 2, 0, 1, and one point (the last) moved from the third group to the first.
        int[] next = [2, 2, 0, 0, 1, 1, 2];
        using var centroids = tensor(new float[] { 10, 20, 30 }).reshape(3, 1); // centroid of new cluster i = 10·(i+1)

        using var relabelled = ClusterRelabelling.ToMatch(new KMeansResult(centroids.clone(), next, [1.0], true), previous);

        Assert.Equal([0, 0, 1, 1, 2, 2, 0], relabelled.Assignments);
        // Old cluster 0 is new cluster 2 (centroid 30), old 1 is new 0 (10), old 2 is new 1 (20).
        Assert.Equal([30f, 10f, 20f], relabelled.Centroids.data<float>().ToArray());
    }
}
