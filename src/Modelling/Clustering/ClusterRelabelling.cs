using static TorchSharp.torch;

namespace Pipeline.Modelling.Clustering;

/// <summary>
/// Renames a new clustering's clusters after an earlier one's: each new cluster takes the label of the earlier cluster
/// it shares most points with (a one-to-one Hungarian matching). A fresh K-means run numbers its clusters arbitrarily,
/// so without this the same partition under other numbers would count as every assignment changing.
/// </summary>
public static class ClusterRelabelling
{
    public static KMeansResult ToMatch(KMeansResult next, int[] previous)
    {
        var k = (int)next.Centroids.shape[0];
        var overlap = new long[k, k];
        for (var i = 0; i < previous.Length; i++)
            overlap[next.Assignments[i], previous[i]]++;
        var cost = new long[k, k];
        for (var a = 0; a < k; a++)
        for (var b = 0; b < k; b++)
            cost[a, b] = previous.Length - overlap[a, b];
        var newToOld = HungarianAssignment.Solve(cost);
        var oldToNew = new long[k];
        for (var a = 0; a < k; a++)
            oldToNew[newToOld[a]] = a;
        var centroids = next.Centroids.index_select(0, tensor(oldToNew));
        var relabelled = new KMeansResult(centroids, next.Assignments.Select(a => newToOld[a]).ToArray(), next.Objectives, next.Converged);
        next.Dispose();
        return relabelled;
    }
}
