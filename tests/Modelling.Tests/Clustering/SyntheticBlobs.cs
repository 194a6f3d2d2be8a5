using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Clustering;

/// <summary>k Gaussian blobs (centres ~ N(0, 10²), the given spread around them), shuffled, with each point's blob.</summary>
internal static class SyntheticBlobs
{
    public static (Tensor Points, int[] Classes) Of(int k, int perBlob, int dimensions, double spread, int seed)
    {
        manual_seed(seed);
        var centres = randn(k, dimensions) * 10;
        var points = cat(Enumerable.Range(0, k).Select(c => centres[c].unsqueeze(0) + randn(perBlob, dimensions) * spread).ToArray(), 0);
        var classes = Enumerable.Range(0, k).SelectMany(c => Enumerable.Repeat(c, perBlob)).ToArray();
        // Shuffle so that order says nothing.
        var order = Enumerable.Range(0, k * perBlob).ToArray();
        new Random(seed).Shuffle(order);
        return (points.index_select(0, tensor(order.Select(i => (long)i).ToArray())), order.Select(i => classes[i]).ToArray());
    }
}
