using static TorchSharp.torch;

namespace Pipeline.Modelling.Vision;

/// <summary>
/// Labelled greyscale images held as bytes (N × H × W, row-major) with their class indices; <see cref="Batch"/> turns
/// a slice into a float tensor zero-padded to the network's size and standardised by the set's pixel mean and spread.
/// </summary>
public sealed class ImageSet
{
    public ImageSet(byte[] pixels, byte[] labels, int height, int width, IReadOnlyList<string> classNames)
    {
        if (pixels.Length != labels.Length * height * width)
            throw new ArgumentException($"{pixels.Length} pixel bytes do not make {labels.Length} images of {height}×{width}");
        Pixels = pixels;
        Labels = labels;
        Height = height;
        Width = width;
        ClassNames = classNames;
    }

    public byte[] Pixels { get; }
    public byte[] Labels { get; }
    public int Height { get; }
    public int Width { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int Count => Labels.Length;

    /// <summary>The images at <paramref name="indices"/>, in that order.</summary>
    public ImageSet Select(IReadOnlyList<int> indices)
    {
        var size = Height * Width;
        var pixels = new byte[indices.Count * size];
        var labels = new byte[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            Array.Copy(Pixels, (long)indices[i] * size, pixels, (long)i * size, size);
            labels[i] = Labels[indices[i]];
        }
        return new ImageSet(pixels, labels, Height, Width, ClassNames);
    }

    /// <summary>The first <paramref name="count"/> images of a seeded shuffle, stratified by nothing but chance.</summary>
    public ImageSet Sample(int count, int seed)
    {
        if (count >= Count)
            return this;
        var order = Enumerable.Range(0, Count).ToArray();
        new Random(seed).Shuffle(order);
        return Select(order[..count]);
    }

    /// <summary>
    /// Images <paramref name="indices"/> as (N × 1 × size × size) float32, centred in the padded frame, standardised as
    /// (pixel/255 − mean)/sd; labels as int64.
    /// </summary>
    public (Tensor Images, Tensor Labels) Batch(IReadOnlyList<int> indices, int size, float mean, float sd)
    {
        if (size < Height || size < Width)
            throw new ArgumentException($"images of {Height}×{Width} do not fit a {size}×{size} input");
        var top = (size - Height) / 2;
        var left = (size - Width) / 2;
        var background = -mean / sd; // a zero pixel, standardised: the padding looks like the images' own background
        var data = new float[indices.Count * size * size];
        Array.Fill(data, background);
        var labels = new long[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            var source = (long)indices[i] * Height * Width;
            var target = i * size * size;
            for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
                data[target + (top + y) * size + left + x] = (Pixels[source + y * Width + x] / 255f - mean) / sd;
            labels[i] = Labels[indices[i]];
        }
        return (tensor(data, [indices.Count, 1, size, size]), tensor(labels));
    }

    /// <summary>Mean and standard deviation of the pixels scaled to [0, 1].</summary>
    public (float Mean, float Sd) PixelStatistics()
    {
        double sum = 0, squares = 0;
        foreach (var p in Pixels)
        {
            var v = p / 255.0;
            sum += v;
            squares += v * v;
        }
        var mean = sum / Pixels.Length;
        return ((float)mean, (float)Math.Sqrt(Math.Max(squares / Pixels.Length - mean * mean, 1e-12)));
    }
}
