using Pipeline.Modelling.Tabular;

namespace Pipeline.Modelling.Privacy;

/// <summary>
/// The privacy-protected copies of the training data EUPG trains its first model on. Labels are kept; only the
/// (preprocessed) features change, so every record is still there and still carries its class.
/// </summary>
public static class TrainingDataProtection
{
    /// <summary>
    /// k-anonymity by MDAV: every record replaced by the centroid of its group (k to 2k−1 records).
    /// <paramref name="partitioned"/> sees the groups (to report their sizes).
    /// </summary>
    public static TabularMatrix KAnonymous(TabularMatrix data, int k, Action<IReadOnlyList<int[]>>? partitioned = null)
    {
        var features = new float[data.Features.Length];
        var groups = Mdav.Partition(data.Features, data.Width, k);
        partitioned?.Invoke(groups);
        foreach (var group in groups)
        {
            var centroid = Mdav.Centroid(data.Features, data.Width, group);
            foreach (var row in group)
                centroid.CopyTo(features.AsSpan(row * data.Width, data.Width));
        }
        return data.WithFeatures(features);
    }

    /// <summary>
    /// ε-differential privacy by the Laplace mechanism on each attribute value: an encoded attribute whose values span
    /// a range of Δ over the training data gets Laplace noise of scale Δ/ε, so changing one person's value of that
    /// attribute changes the output's density by at most e^ε. Each attribute gets the whole ε (the guarantee is per
    /// attribute; by sequential composition a record of d attributes has d·ε): see the README's EUPG notes.
    /// </summary>
    public static TabularMatrix LaplaceNoised(TabularMatrix data, double epsilon, Random random)
    {
        if (!(epsilon > 0) || double.IsInfinity(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), "ε must be positive and finite");
        var ranges = AttributeRanges(data);
        var features = (float[])data.Features.Clone();
        for (var row = 0; row < data.Rows; row++)
            for (var j = 0; j < data.Width; j++)
                features[row * data.Width + j] += (float)LaplaceNoise.Sample(ranges[j] / epsilon, random);
        return data.WithFeatures(features);
    }

    /// <summary>max − min of each encoded attribute over the rows: the sensitivity of a single value of it.</summary>
    public static double[] AttributeRanges(TabularMatrix data)
    {
        var ranges = new double[data.Width];
        for (var j = 0; j < data.Width; j++)
        {
            var min = double.PositiveInfinity;
            var max = double.NegativeInfinity;
            for (var row = 0; row < data.Rows; row++)
            {
                var v = data.Features[row * data.Width + j];
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
            ranges[j] = data.Rows == 0 ? 0 : max - min;
        }
        return ranges;
    }
}
