using static TorchSharp.torch;

namespace Pipeline.Modelling.Clustering;

/// <summary>
/// DCN (Yang, Fu, Sidiropoulos and Hong, ICML 2017), the baseline with hard assignments and per-sample centroid
/// updates. Starting from K-means on the pretrained codes, each mini-batch (a) takes an Adam step on reconstruction +
/// λ·‖h(x) − c_{s(x)}‖² with the assignments held, then (b) for each of its samples in turn, re-encodes it with the
/// updated network, assigns it to its nearest centroid k, counts it (n_k += 1) and moves that centroid by the step
/// 1/n_k towards it: c_k ← c_k − (c_k − h)/n_k. The counts start at the initial K-means cluster sizes (our choice; the
/// paper's counts are "assignments so far", which K-means has made once; the authors' code starts them at 100).
/// </summary>
public static class DeepClusteringNetwork
{
    public static DeepClusteringResult Fit(DeepAutoencoder model, Tensor data, int k, SgdClusteringOptions options,
        Action<ClusteringEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        var latent = model.Latent;
        float[] centroids;
        int[] assignments;
        using (var codes = model.EncodeAll(data))
        using (var initial = KMeans.Fit(codes, k, options.Seed))
        {
            centroids = initial.Centroids.data<float>().ToArray();
            assignments = initial.Assignments.ToArray();
        }
        var counts = new double[k];
        foreach (var a in assignments) counts[a]++;

        using var optimizer = optim.Adam(model.parameters(), options.LearningRate);
        var random = new Random(options.Seed);
        var n = (int)data.shape[0];
        var epochs = new List<ClusteringEpoch>();
        var steps = new JointLossSteps(model, optimizer, options.Lambda);
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            model.train();
            foreach (var batch in ShuffledBatches.Of(n, options.BatchSize, random))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var x = data.index_select(0, tensor(batch));
                var targets = tensor(Rows(centroids, latent, batch.Select(i => assignments[i]))).reshape(batch.Length, latent);
                steps.Take(x, codes => (codes - targets).pow(2).sum(1).mean());

                float[] updated;
                using (no_grad())
                    updated = model.Encode(x).data<float>().ToArray();
                for (var row = 0; row < batch.Length; row++)
                    assignments[batch[row]] = AssignAndMove(centroids, counts, updated.AsSpan(row * latent, latent));
            }
            var (reconstruction, clustering) = steps.TakeMeans();
            var record = new ClusteringEpoch(epoch, reconstruction, clustering);
            epochs.Add(record);
            progress?.Invoke(record);
        }

        var final = tensor(centroids).reshape(k, latent);
        using (var codes = model.EncodeAll(data))
            return new DeepClusteringResult(NearestCentroid.Assign(codes, final), final, epochs);
    }

    /// <summary>The nearest centroid to the code, counted and moved towards it by 1/count; returns its index.</summary>
    private static int AssignAndMove(float[] centroids, double[] counts, ReadOnlySpan<float> code)
    {
        var latent = code.Length;
        var best = 0;
        var bestDistance = double.MaxValue;
        for (var c = 0; c < counts.Length; c++)
        {
            double distance = 0;
            for (var j = 0; j < latent; j++)
            {
                var d = centroids[c * latent + j] - code[j];
                distance += d * d;
            }
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = c;
            }
        }
        counts[best]++;
        var step = 1 / counts[best];
        for (var j = 0; j < latent; j++)
            centroids[best * latent + j] -= (float)(step * (centroids[best * latent + j] - code[j]));
        return best;
    }

    private static float[] Rows(float[] centroids, int latent, IEnumerable<int> clusters) =>
        clusters.SelectMany(c => centroids.AsSpan(c * latent, latent).ToArray()).ToArray();
}
