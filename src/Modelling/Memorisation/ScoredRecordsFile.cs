using System.Text;
using System.Text.Json;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Storage;

namespace Pipeline.Modelling.Memorisation;

/// <summary>
/// Per-record scores as JSON Lines, one object per line with snake_case keys:
/// {"id", "subject_id", "side", "verbatim", "token_match", "ngram_score", "prefix_length", "target_length"}.
/// Doubles are written in their shortest round-trip form, so reading gives back exactly what was written.
/// </summary>
internal static class ScoredRecordsFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectRequiredConstructorParameters = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, IEnumerable<ScoredRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        AtomicFile.Write(path, stream =>
        {
            foreach (var record in records)
            {
                JsonSerializer.Serialize(stream, record, Options);
                stream.WriteByte((byte)'\n');
            }
        });
    }

    /// <summary>Blank lines are skipped; a line that is not a complete scored record is an error naming its line.</summary>
    public static IReadOnlyList<ScoredRecord> Read(string path)
    {
        var records = new List<ScoredRecord>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            ScoredRecord? record;
            try
            {
                record = JsonSerializer.Deserialize<ScoredRecord>(line, Options);
            }
            catch (JsonException bad)
            {
                throw DataFormatException.AtLine(path, lineNumber, $"not a scored record ({bad.Message.Split(" Path:")[0].TrimEnd(' ', '.')})");
            }
            if (record is null || record.Id is null || record.SubjectId is null || record.Side is null)
                throw DataFormatException.AtLine(path, lineNumber, "not a scored record (id, subject_id and side are required)");
            records.Add(record);
        }
        return records;
    }
}
