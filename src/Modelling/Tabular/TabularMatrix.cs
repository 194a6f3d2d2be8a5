namespace Pipeline.Modelling.Tabular;

/// <summary>
/// Encoded rows: <see cref="Features"/> is row-major (Rows × Width), one label per row. Indexes into the table the rows
/// came from are kept, so results can be traced back to records.
/// </summary>
public sealed record TabularMatrix(float[] Features, int[] Labels, int Width, int Classes, int[] SourceRows)
{
    public int Rows => Labels.Length;

    public ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * Width, Width);

    public TabularMatrix Select(IReadOnlyList<int> rows)
    {
        var features = new float[rows.Count * Width];
        for (var i = 0; i < rows.Count; i++)
            Row(rows[i]).CopyTo(features.AsSpan(i * Width, Width));
        return new TabularMatrix(features, rows.Select(r => Labels[r]).ToArray(), Width, Classes, rows.Select(r => SourceRows[r]).ToArray());
    }

    /// <summary>The same rows and labels with other feature values (a privacy-protected copy).</summary>
    public TabularMatrix WithFeatures(float[] features) =>
        features.Length == Features.Length ? this with { Features = features } : throw new ArgumentException("feature count differs", nameof(features));
}
