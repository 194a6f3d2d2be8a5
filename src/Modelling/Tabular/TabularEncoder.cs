namespace Pipeline.Modelling.Tabular;

/// <summary>
/// The EUPG code's preprocessing, fitted on the training rows only: numeric columns standardised (mean 0, sd 1; a
/// missing value becomes the mean), nominal columns one-hot encoded with the first category (in sorted order) dropped,
/// as its dropFirst encoder does; a category unseen in training, or a missing one, encodes as all zeros.
/// </summary>
public sealed class TabularEncoder
{
    private readonly List<(int Column, double Mean, double Sd)> _numeric = [];
    private readonly List<(int Column, string[] Categories)> _nominal = [];

    private TabularEncoder(int classes) => Classes = classes;

    public int Width { get; private set; }

    public int Classes { get; }

    /// <summary>What each encoded feature is (column name, or column=category).</summary>
    public List<string> FeatureNames { get; } = [];

    public static TabularEncoder Fit(TabularTable table, IReadOnlyList<int> trainingRows)
    {
        var encoder = new TabularEncoder(table.Classes.Count);
        for (var c = 0; c < table.Columns.Count; c++)
        {
            var column = table.Columns[c];
            if (column.Kind == ColumnKind.Numeric)
            {
                var values = trainingRows.Select(r => table.Rows[r][c]).OfType<double>().ToList();
                var mean = values.Count == 0 ? 0 : values.Average();
                var sd = values.Count == 0 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
                encoder._numeric.Add((c, mean, sd > 0 ? sd : 1));
            }
            else
            {
                var categories = trainingRows.Select(r => table.Rows[r][c]).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Skip(1).ToArray();
                encoder._nominal.Add((c, categories));
            }
        }
        // In the order Encode writes them: numeric columns first, then each nominal column's indicators.
        encoder.FeatureNames.AddRange(encoder._numeric.Select(n => table.Columns[n.Column].Name));
        encoder.FeatureNames.AddRange(encoder._nominal.SelectMany(n => n.Categories.Select(k => $"{table.Columns[n.Column].Name}={k}")));
        encoder.Width = encoder.FeatureNames.Count;
        return encoder;
    }

    public TabularMatrix Encode(TabularTable table, IReadOnlyList<int> rows)
    {
        var features = new float[rows.Count * Width];
        for (var i = 0; i < rows.Count; i++)
        {
            var source = table.Rows[rows[i]];
            var offset = i * Width;
            foreach (var (column, mean, sd) in _numeric)
                features[offset++] = source[column] is double v ? (float)((v - mean) / sd) : 0f;
            foreach (var (column, categories) in _nominal)
            {
                var index = source[column] is string s ? Array.IndexOf(categories, s) : -1;
                if (index >= 0) features[offset + index] = 1f;
                offset += categories.Length;
            }
        }
        return new TabularMatrix(features, rows.Select(r => table.Labels[r]).ToArray(), Width, Classes, rows.ToArray());
    }
}
