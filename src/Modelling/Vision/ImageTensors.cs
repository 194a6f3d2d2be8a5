using static TorchSharp.torch;

namespace Pipeline.Modelling.Vision;

/// <summary>
/// An image set as network input, made once: (N × 1 × size × size) standardised float32 and int64 labels. Batches are
/// index_select'ed from it, so an epoch does no per-pixel work in .NET.
/// </summary>
public sealed class ImageTensors : IDisposable
{
    public ImageTensors(ImageSet set, int size, ImageNormalisation normalisation)
    {
        (Images, Labels) = set.Batch(Enumerable.Range(0, set.Count).ToArray(), size, normalisation.Mean, normalisation.Sd);
        Normalisation = normalisation;
    }

    public Tensor Images { get; }
    public Tensor Labels { get; }
    public ImageNormalisation Normalisation { get; }
    public int Count => (int)Labels.shape[0];

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}

/// <summary>The pixel mean and spread (of pixels scaled to [0, 1]) a network was trained with; kept in its checkpoint.</summary>
public sealed record ImageNormalisation(float Mean, float Sd)
{
    public static ImageNormalisation Of(ImageSet set)
    {
        var (mean, sd) = set.PixelStatistics();
        return new ImageNormalisation(mean, sd);
    }
}
