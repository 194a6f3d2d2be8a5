using System.Globalization;
using Pipeline.Modelling.Data;

namespace Pipeline.Data.Corpora;

/// <summary>
/// scikit-learn's copy of the Wisconsin diagnostic breast-cancer data (Debian python3-sklearn:
/// usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv). The first line is "569,30,malignant,benign"
/// (rows, features, class names); each row has 30 numbers and the class index. Feature names follow the data set's
/// description: ten measurements, each as mean, standard error and worst value.
/// </summary>
internal static class BreastCancerCorpus
{
    private static readonly string[] Measurements =
        ["radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity", "concave_points", "symmetry", "fractal_dimension"];

    public static ParsedCorpus Read(string unpackedFolder)
    {
        var path = Path.Combine(unpackedFolder, "usr", "lib", "python3", "dist-packages", "sklearn", "datasets", "data", "breast_cancer.csv");
        if (!File.Exists(path))
            throw new CorpusPullException($"breast_cancer.csv is not in the package (looked for {path}): the package layout changed");
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        if (header.Length < 3 || !int.TryParse(header[0], out var rows) || !int.TryParse(header[1], out var features) || features != 3 * Measurements.Length)
            throw DataFormatException.AtLine(path, 1, $"expected \"ROWS,30,CLASS...\", got \"{lines[0]}\"");
        var classNames = header[2..];
        var names = new[] { "mean", "se", "worst" }.SelectMany(kind => Measurements.Select(m => $"{kind}_{m}")).Append("diagnosis").ToList();
        var records = new List<TextRecord>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var fields = lines[i].Split(',');
            if (fields.Length != features + 1)
                throw DataFormatException.AtLine(path, i + 1, $"{fields.Length} values, expected {features + 1}");
            var values = new object?[features + 1];
            for (var f = 0; f < features; f++)
                values[f] = double.TryParse(fields[f], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
                    : throw DataFormatException.AtLine(path, i + 1, $"\"{fields[f]}\" is not a number");
            values[features] = int.TryParse(fields[features], out var label) && label >= 0 && label < classNames.Length
                ? classNames[label] : throw DataFormatException.AtLine(path, i + 1, $"class \"{fields[features]}\" is not one of 0..{classNames.Length - 1}");
            var id = $"breast-cancer-{records.Count + 1:0000}";
            records.Add(TextRecord.Plain(id, id, TabularRecordText.Write(names, values)));
        }
        if (records.Count != rows)
            throw new CorpusPullException($"breast_cancer.csv announces {rows} rows but holds {records.Count}");
        return new ParsedCorpus(records, new Dictionary<string, int>());
    }
}
