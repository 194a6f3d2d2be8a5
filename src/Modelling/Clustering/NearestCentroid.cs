using static TorchSharp.torch;

namespace Pipeline.Modelling.Clustering;

/// <summary>Each code's nearest centroid (squared Euclidean distance): how every method turns centroids into a final clustering.</summary>
public static class NearestCentroid
{
    public static int[] Assign(Tensor codes, Tensor centroids)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var index = cdist(codes.detach(), centroids.detach()).argmin(1);
        return index.data<long>().Select(i => (int)i).ToArray();
    }
}
