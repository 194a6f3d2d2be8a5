using static TorchSharp.torch;

namespace Pipeline.Modelling.Clustering;

/// <summary>A K-means solution: centroids (k × d), each point's cluster, the objective after each Lloyd iteration, and whether assignments stopped changing.</summary>
public sealed record KMeansResult(Tensor Centroids, int[] Assignments, IReadOnlyList<double> Objectives, bool Converged) : IDisposable
{
    /// <summary>The same result with its centroids moved out of the current dispose scope.</summary>
    internal KMeansResult MoveToOuter()
    {
        Centroids.MoveToOuterDisposeScope();
        return this;
    }

    /// <summary>Σ ‖x − c_s(x)‖² at the end.</summary>
    public double Objective => Objectives[^1];

    public void Dispose() => Centroids.Dispose();
}

/// <summary>
/// Classical K-means on a whole point set (n × d, float32): k-means++ initialisation (Arthur and Vassilvitskii, 2007;
/// seeded), then Lloyd iterations — assign each point to its nearest centroid, move each centroid to its points' mean —
/// until no assignment changes or the most iterations are spent. An empty cluster keeps its centroid. The objective can
/// only fall from one iteration to the next; the tests check it.
/// </summary>
public static class KMeans
{
    public static KMeansResult Fit(Tensor points, int k, int seed, int maxIterations = 300)
    {
        var n = (int)points.shape[0];
        if (k < 1 || k > n)
            throw new ArgumentException($"k must be within 1..{n} (the number of points), not {k}");
        using var scope = NewDisposeScope();
        var x = points.to(ScalarType.Float32).detach();
        return Lloyd(x, PlusPlus(x, k, new Random(seed)), maxIterations).MoveToOuter();
    }

    /// <summary>Lloyd iterations from the given centroids (k × d): a warm start, whose objective cannot end above where it began.</summary>
    public static KMeansResult Fit(Tensor points, Tensor initialCentroids, int maxIterations = 300)
    {
        using var scope = NewDisposeScope();
        return Lloyd(points.to(ScalarType.Float32).detach(), initialCentroids.to(ScalarType.Float32).detach().clone(), maxIterations).MoveToOuter();
    }

    private static KMeansResult Lloyd(Tensor x, Tensor centroids, int maxIterations)
    {
        var n = (int)x.shape[0];
        var k = (int)centroids.shape[0];
        var assignments = new long[n];
        var objectives = new List<double>();
        var converged = false;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var distances = cdist(x, centroids).pow(2);
            var (nearest, index) = distances.min(1);
            var now = index.data<long>().ToArray();
            objectives.Add(nearest.sum().item<float>());
            if (iteration > 0 && now.AsSpan().SequenceEqual(assignments))
            {
                converged = true;
                break;
            }
            assignments = now;
            // New centroids: each cluster's mean (index_add of the points, divided by the counts).
            var sums = zeros(k, x.shape[1]).index_add_(0, index, x, 1.0);
            var counts = bincount(index, minlength: k).to(ScalarType.Float32).unsqueeze(1);
            centroids = where(counts > 0, sums / counts.clamp_min(1), centroids);
        }
        return new KMeansResult(centroids, assignments.Select(a => (int)a).ToArray(), objectives, converged);
    }

    /// <summary>k-means++: the first centroid uniformly at random, each next one with probability ∝ its squared distance to the nearest chosen.</summary>
    private static Tensor PlusPlus(Tensor x, int k, Random random)
    {
        var n = (int)x.shape[0];
        var chosen = new List<long> { random.Next(n) };
        var nearest = cdist(x, x.index_select(0, tensor(chosen.ToArray()))).pow(2).min(1).values;
        while (chosen.Count < k)
        {
            var weights = nearest.data<float>().ToArray();
            var total = weights.Sum(w => (double)w);
            long next;
            if (total <= 0)
                next = random.Next(n); // every point sits on a centroid already
            else
            {
                var target = random.NextDouble() * total;
                next = 0;
                for (double running = 0; next < n - 1; next++)
                {
                    running += weights[next];
                    if (running >= target) break;
                }
            }
            chosen.Add(next);
            nearest = minimum(nearest, cdist(x, x.narrow(0, next, 1)).pow(2).squeeze(1));
        }
        return x.index_select(0, tensor(chosen.ToArray()));
    }
}
