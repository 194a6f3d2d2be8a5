using Pipeline.Modelling.Vision;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Clustering;

/// <summary>
/// An image set as the deep-clustering papers feed it to their fully connected autoencoders: each image flattened to
/// one row of H·W pixels scaled to [0, 1] (pixel/255), and its class.
/// </summary>
public static class ImageVectors
{
    public static (Tensor Rows, int[] Classes) Of(ImageSet set)
    {
        var size = set.Height * set.Width;
        var values = new float[set.Pixels.Length];
        for (var i = 0; i < values.Length; i++)
            values[i] = set.Pixels[i] / 255f;
        return (tensor(values).reshape(set.Count, size), set.Labels.Select(l => (int)l).ToArray());
    }
}
