using System.Globalization;
using System.Text;
using Pipeline.Modelling.Data;

namespace Pipeline.Data.Corpora;

/// <summary>
/// A Weka ARFF file (from Debian's weka package: usr/share/doc/weka/examples/NAME.arff) as tabular records: `@attribute
/// NAME numeric|real|integer` gives numbers, `@attribute NAME {a, 'b c'}` nominal values (checked against the declared
/// set), `?` a missing value; rows follow `@data`. Record ids are NAME-0001 in file order.
/// </summary>
internal static class ArffCorpus
{
    public static Func<string, ParsedCorpus> Reader(string fileName) => unpacked =>
        Read(Path.Combine(unpacked, "usr", "share", "doc", "weka", "examples", fileName), Path.GetFileNameWithoutExtension(fileName));

    public static ParsedCorpus Read(string path, string idPrefix)
    {
        if (!File.Exists(path))
            throw new CorpusPullException($"{Path.GetFileName(path)} is not in the package (looked for {path}): the package layout changed");
        var names = new List<string>();
        var nominal = new List<HashSet<string>?>();
        var records = new List<TextRecord>();
        var inData = false;
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('%'))
                continue;
            if (!inData)
            {
                if (line.StartsWith("@attribute", StringComparison.OrdinalIgnoreCase))
                    ReadAttribute(line["@attribute".Length..].Trim(), names, nominal, path, lineNumber);
                else if (line.StartsWith("@data", StringComparison.OrdinalIgnoreCase))
                    inData = true;
                continue;
            }
            List<string> fields;
            try
            {
                fields = SplitFields(line);
            }
            catch (FormatException bad)
            {
                throw DataFormatException.AtLine(path, lineNumber, bad.Message);
            }
            if (fields.Count != names.Count)
                throw DataFormatException.AtLine(path, lineNumber, $"{fields.Count} values, but {names.Count} attributes are declared");
            var values = new object?[names.Count];
            for (var i = 0; i < names.Count; i++)
            {
                var field = fields[i];
                if (field == "?")
                    continue;
                if (nominal[i] is { } allowed)
                    values[i] = allowed.Contains(field) ? field : throw DataFormatException.AtLine(path, lineNumber, $"\"{field}\" is not a declared value of {names[i]}");
                else
                    values[i] = double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                        ? number : throw DataFormatException.AtLine(path, lineNumber, $"{names[i]} is numeric, but the value is \"{field}\"");
            }
            var id = $"{idPrefix}-{records.Count + 1:0000}";
            records.Add(TextRecord.Plain(id, id, TabularRecordText.Write(names, values)));
        }
        if (records.Count == 0)
            throw new CorpusPullException($"{Path.GetFileName(path)} has no @data rows");
        return new ParsedCorpus(records, new Dictionary<string, int>());
    }

    private static void ReadAttribute(string declaration, List<string> names, List<HashSet<string>?> nominal, string path, int lineNumber)
    {
        var (name, rest) = declaration.StartsWith('\'')
            ? (declaration[1..declaration.IndexOf('\'', 1)], declaration[(declaration.IndexOf('\'', 1) + 1)..].Trim())
            : (declaration.Split([' ', '\t'], 2)[0], declaration.Split([' ', '\t'], 2).ElementAtOrDefault(1)?.Trim() ?? "");
        names.Add(name);
        if (rest.StartsWith('{') && rest.EndsWith('}'))
            nominal.Add(SplitFields(rest[1..^1]).ToHashSet(StringComparer.Ordinal));
        else if (rest.ToLowerInvariant() is "numeric" or "real" or "integer")
            nominal.Add(null);
        else
            throw DataFormatException.AtLine(path, lineNumber, $"attribute {name} has type \"{rest}\", which this reader does not take (numeric or {{nominal}})");
    }

    /// <summary>Comma-separated values; a value may be quoted with ' or " (so it may hold commas), spaces around it are dropped.</summary>
    internal static List<string> SplitFields(string line)
    {
        var fields = new List<string>();
        var i = 0;
        while (i <= line.Length)
        {
            while (i < line.Length && line[i] == ' ') i++;
            string value;
            if (i < line.Length && line[i] is '\'' or '"')
            {
                var quote = line[i];
                var end = line.IndexOf(quote, i + 1);
                if (end < 0) throw new FormatException($"unclosed quote in: {line}");
                value = line[(i + 1)..end];
                i = end + 1;
                while (i < line.Length && line[i] == ' ') i++;
            }
            else
            {
                var end = line.IndexOf(',', i);
                if (end < 0) end = line.Length;
                value = line[i..end].Trim();
                i = end;
            }
            fields.Add(value);
            if (i >= line.Length) break;
            if (line[i] != ',') throw new FormatException($"expected a comma at position {i} in: {line}");
            i++;
        }
        return fields;
    }
}
