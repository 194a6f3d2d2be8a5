using System.Text.Json;
using Pipeline.Modelling.Data;

namespace Pipeline.Modelling.Tabular;

/// <summary>Whether a column holds numbers or nominal values.</summary>
public enum ColumnKind
{
    Numeric,
    Nominal,
}

public sealed record TabularColumn(string Name, ColumnKind Kind);

/// <summary>
/// Rows of a tabular data set with one label column, read from corpus records whose text is a JSON object per row
/// (as `data pull credit-g` caches them). A column is numeric when every present value is a JSON number. The label's
/// classes are numbered in sorted order. Each row keeps its record id and subject id, so a person can be found and
/// forgotten.
/// </summary>
public sealed class TabularTable
{
    private TabularTable(IReadOnlyList<TabularColumn> columns, IReadOnlyList<object?[]> rows, IReadOnlyList<int> labels,
        IReadOnlyList<string> classes, IReadOnlyList<string> ids, IReadOnlyList<string> subjects)
    {
        Columns = columns;
        Rows = rows;
        Labels = labels;
        Classes = classes;
        Ids = ids;
        Subjects = subjects;
    }

    /// <summary>The feature columns (the label column is not among them).</summary>
    public IReadOnlyList<TabularColumn> Columns { get; }

    /// <summary>Per row, per feature column: a double, a string, or null when missing.</summary>
    public IReadOnlyList<object?[]> Rows { get; }

    public IReadOnlyList<int> Labels { get; }

    public IReadOnlyList<string> Classes { get; }

    public IReadOnlyList<string> Ids { get; }

    public IReadOnlyList<string> Subjects { get; }

    public int Count => Rows.Count;

    public static TabularTable FromRecords(IReadOnlyList<TextRecord> records, string labelColumn)
    {
        if (records.Count == 0) throw new DataFormatException("a tabular data set needs at least one row");
        var parsed = records.Select(r => (Record: r, Values: ParseRow(r))).ToList();
        var names = parsed[0].Values.Select(v => v.Key).ToList();
        if (!names.Contains(labelColumn))
            throw new DataFormatException($"record {records[0].Id} has no label column \"{labelColumn}\" (columns: {string.Join(", ", names)})");
        foreach (var (record, values) in parsed)
            if (values.Count != names.Count || values.Select(v => v.Key).Where((n, i) => n != names[i]).Any())
                throw new DataFormatException($"record {record.Id} does not have the columns of the first row in the same order");

        // Every row has the columns in the same order, so a column is an index into each row's values.
        var labelIndex = names.IndexOf(labelColumn);
        var featureIndexes = Enumerable.Range(0, names.Count).Where(i => i != labelIndex).ToList();
        var columns = featureIndexes.Select(i => new TabularColumn(names[i],
            parsed.All(p => p.Values[i].Value is null or double) ? ColumnKind.Numeric : ColumnKind.Nominal)).ToList();
        var rows = parsed.Select(p => featureIndexes.Select((source, c) =>
        {
            var value = p.Values[source].Value;
            return columns[c].Kind == ColumnKind.Nominal && value is double d ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : value;
        }).ToArray()).ToList();
        var rawLabels = parsed.Select(p => p.Values[labelIndex].Value?.ToString()
            ?? throw new DataFormatException($"record {p.Record.Id} has no label")).ToList();
        var classes = rawLabels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (classes.Count < 2) throw new DataFormatException($"the label column \"{labelColumn}\" has a single class");
        var labels = rawLabels.Select(l => classes.IndexOf(l)).ToList();
        return new TabularTable(columns, rows, labels, classes, records.Select(r => r.Id).ToList(), records.Select(r => r.SubjectId).ToList());
    }

    private static List<KeyValuePair<string, object?>> ParseRow(TextRecord record)
    {
        try
        {
            using var document = JsonDocument.Parse(record.FullText);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new DataFormatException($"record {record.Id} is not a JSON object");
            return document.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value.ValueKind switch
            {
                JsonValueKind.Number => p.Value.GetDouble(),
                JsonValueKind.String => p.Value.GetString(),
                JsonValueKind.Null => null,
                _ => throw new DataFormatException($"record {record.Id}: {p.Name} is neither a number, a string nor null"),
            })).ToList();
        }
        catch (JsonException bad)
        {
            throw new DataFormatException($"record {record.Id} is not a tabular row (JSON object): {bad.Message}", bad);
        }
    }
}
