using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Modelling.Data;

/// <summary>The records a model trains on and the ones it never sees.</summary>
public sealed record DatasetSplitResult(IReadOnlyList<TextRecord> Train, IReadOnlyList<TextRecord> Validation);

/// <summary>Equal-sized samples of trained and held-out records, for memorisation scoring (trained vs never seen).</summary>
public sealed record MemorisationSample(IReadOnlyList<TextRecord> Trained, IReadOnlyList<TextRecord> HeldOut);

/// <summary>
/// Seeded, order-free split and sampling. Each record's side depends only on the seed and its id (or its subject),
/// through a SHA-256 position in [0, 1): adding or removing a record never moves another one, and the input order
/// does not matter. The validation share is therefore close to, not exactly, the fraction asked for.
/// </summary>
public static class DatasetSplit
{
    /// <param name="keepSubjectsTogether">
    /// Place whole subjects on one side (hash the subject id instead of the record id), so that a subject is either
    /// entirely trained on or entirely held out, as erasure experiments need.
    /// </param>
    public static DatasetSplitResult Split(IReadOnlyList<TextRecord> records, double validationFraction, int seed, bool keepSubjectsTogether = false)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (validationFraction is < 0 or > 1 || double.IsNaN(validationFraction))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "must be in [0, 1]");

        string KeyOf(TextRecord r) => keepSubjectsTogether ? r.SubjectId : r.Id;
        var positions = records.Select(KeyOf).Distinct(StringComparer.Ordinal)
            .ToDictionary(key => key, key => Position("split", seed, key), StringComparer.Ordinal);
        var validationKeys = positions.Where(p => p.Value < validationFraction).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);

        // A small data set can land entirely on one side; then the one key nearest the boundary crosses over,
        // so that both sides exist whenever the fraction asks for both (this is the only order-dependent case).
        if (positions.Count >= 2 && validationFraction > 0 && validationKeys.Count == 0)
            validationKeys.Add(positions.MinBy(p => p.Value).Key);
        else if (positions.Count >= 2 && validationFraction < 1 && validationKeys.Count == positions.Count)
            validationKeys.Remove(positions.MaxBy(p => p.Value).Key);

        var train = new List<TextRecord>();
        var validation = new List<TextRecord>();
        foreach (var record in records)
            (validationKeys.Contains(KeyOf(record)) ? validation : train).Add(record);
        return new DatasetSplitResult(train, validation);
    }

    /// <summary><paramref name="count"/> records (or all, if fewer), chosen by seed and id alone, in a seeded order.</summary>
    public static IReadOnlyList<TextRecord> Sample(IReadOnlyList<TextRecord> records, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return records.OrderBy(r => Position("sample", seed, r.Id)).ThenBy(r => r.Id, StringComparer.Ordinal).Take(count).ToList();
    }

    /// <summary>Up to <paramref name="perSide"/> trained and as many held-out records (both sides the same size).</summary>
    public static MemorisationSample SampleForMemorisation(DatasetSplitResult split, int perSide, int seed)
    {
        var size = Math.Min(perSide, Math.Min(split.Train.Count, split.Validation.Count));
        return new MemorisationSample(Sample(split.Train, size, seed), Sample(split.Validation, size, seed));
    }

    internal static double Position(string purpose, int seed, string key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{purpose}\n{seed}\n{key}"), hash);
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }
}
