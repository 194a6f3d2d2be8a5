using System.Text.Json;

namespace Pipeline.Data.Corpora;

/// <summary>
/// A tabular row stored as a corpus record: its text is one JSON object, attribute name → value, in the data set's
/// column order (numbers as JSON numbers, nominal values as strings, a missing value as null). One row is one person,
/// so the row is also the record's subject. <see cref="Tabular.TabularTable"/> reads such records back.
/// </summary>
internal static class TabularRecordText
{
    public static string Write(IReadOnlyList<string> names, IReadOnlyList<object?> values)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps values such as "<0" readable in records.jsonl; the text is only ever parsed as JSON.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            for (var i = 0; i < names.Count; i++)
            {
                switch (values[i])
                {
                    case null: writer.WriteNull(names[i]); break;
                    case double number: writer.WriteNumber(names[i], number); break;
                    case string text: writer.WriteString(names[i], text); break;
                    default: throw new ArgumentException($"unsupported tabular value {values[i]!.GetType().Name}");
                }
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
