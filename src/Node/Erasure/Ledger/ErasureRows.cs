using System.Data.Common;
using System.Text.Json;

namespace Pipeline.Node.Erasure.Ledger;

/// <summary>
/// The erasures table's columns as both ledgers select them, and one row read back into a record. The backends store
/// ids and times in their own types, so they read those three columns themselves and pass them in.
/// </summary>
internal static class ErasureRows
{
    public const string Columns =
        "request_id, subject_hash, dataset_id, record_count, state, reason, forgetter, handled_by, evidence, received_at, updated_at, reference";

    public static ErasureRecord Read(DbDataReader reader, Guid requestId, DateTimeOffset receivedAt, DateTimeOffset updatedAt) =>
        new(requestId, reader.GetString(1), NullableString(reader, 2), reader.GetInt32(3),
            Enum.Parse<ErasureState>(reader.GetString(4)), NullableString(reader, 5), NullableString(reader, 6), NullableString(reader, 7),
            reader.IsDBNull(8) ? new Dictionary<string, double>() : JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(8))!,
            receivedAt, updatedAt, [])
        {
            Reference = NullableString(reader, 11),
        };

    public static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
