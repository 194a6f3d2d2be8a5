using System.Text;
using System.Text.Json;
using Pipeline.Modelling.Storage;

namespace Pipeline.Modelling.Data;

/// <summary>
/// Records as JSON Lines, one object per line. Blank lines are skipped; fields other than id, subject_id, text,
/// prompt and response are ignored. Ids must be unique within a file: erasure and the train/validation split go by id.
/// </summary>
public static class JsonlDataset
{
    /// <summary>The file's records, without those erased from it (see <see cref="Tombstones"/>).</summary>
    public static IReadOnlyList<TextRecord> Read(string path)
    {
        var records = ReadAll(path);
        if (!File.Exists(Tombstones.PathFor(path)))
            return records;
        var tombstones = Tombstones.For(path);
        return records.Where(r => !tombstones.Contains(r.Id)).ToList();
    }

    /// <summary>Every record in the file, tombstoned or not (for the erasure itself).</summary>
    internal static IReadOnlyList<TextRecord> ReadAll(string path)
    {
        var records = new List<TextRecord>();
        var firstLineOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var record = Parse(path, lineNumber, line);
            if (!firstLineOfId.TryAdd(record.Id, lineNumber))
                throw DataFormatException.AtLine(path, lineNumber, $"duplicate id \"{record.Id}\" (first on line {firstLineOfId[record.Id]})");
            records.Add(record);
        }
        return records;
    }

    /// <summary>Writes all records or nothing: a failure part-way leaves any earlier file at <paramref name="path"/> untouched.</summary>
    public static void Write(string path, IEnumerable<TextRecord> records)
    {
        AtomicFile.Write(path, stream =>
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            foreach (var record in records)
            {
                if (record.Problem() is { } problem)
                    throw new ArgumentException($"record \"{record.Id}\": {problem}", nameof(records));
                if (!ids.Add(record.Id))
                    throw new ArgumentException($"duplicate record id \"{record.Id}\"", nameof(records));
                writer.WriteStartObject();
                writer.WriteString("id", record.Id);
                writer.WriteString("subject_id", record.SubjectId);
                if (record.Text is not null)
                {
                    writer.WriteString("text", record.Text);
                }
                else
                {
                    writer.WriteString("prompt", record.Prompt);
                    writer.WriteString("response", record.Response);
                }
                writer.WriteEndObject();
                writer.Flush();
                stream.WriteByte((byte)'\n');
                writer.Reset();
            }
        });
    }

    private static TextRecord Parse(string path, int lineNumber, string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException bad)
        {
            throw DataFormatException.AtLine(path, lineNumber, $"not valid JSON ({bad.Message.Split(" LineNumber")[0].TrimEnd(' ', '.')})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw DataFormatException.AtLine(path, lineNumber, "expected a JSON object");
            var record = new TextRecord(
                StringField(root, "id", path, lineNumber) ?? "",
                StringField(root, "subject_id", path, lineNumber) ?? "",
                StringField(root, "text", path, lineNumber),
                StringField(root, "prompt", path, lineNumber),
                StringField(root, "response", path, lineNumber));
            return record.Problem() is { } problem ? throw DataFormatException.AtLine(path, lineNumber, problem) : record;
        }
    }

    private static string? StringField(JsonElement root, string name, string path, int lineNumber)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw DataFormatException.AtLine(path, lineNumber, $"{name} must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}");
    }
}
