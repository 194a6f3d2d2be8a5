using System.Text.Json;
using Pipeline.Modelling.Storage;

namespace Pipeline.Modelling.Tokenization;

/// <summary>
/// A dense renumbering of the inner tokenizer's ids that a corpus actually uses, so a tiny model keeps a small
/// embedding: dense id 0 is &lt;unk&gt; (any inner id not kept), 1 is end-of-text, and 2.. are the kept inner ids,
/// most frequent first (ties: smaller inner id first). Saved beside a checkpoint as vocab-map.json.
/// </summary>
public sealed class CompactVocabulary
{
    public const string FileName = "vocab-map.json";
    public const int UnknownId = 0;
    public const int EndOfTextId = 1;
    public const int ReservedCount = 2;
    private const string Format = "pipeline-compact-vocabulary/1";

    private readonly int[] _innerIdOfDense;
    private readonly Dictionary<int, int> _denseIdOfInner;

    private CompactVocabulary(string innerTokenizer, int innerEndOfTextId, int[] keptInnerIds, long[] counts)
    {
        InnerTokenizer = innerTokenizer;
        InnerEndOfTextId = innerEndOfTextId;
        _innerIdOfDense = keptInnerIds;
        Counts = counts;
        _denseIdOfInner = new Dictionary<int, int>(keptInnerIds.Length + 1) { [innerEndOfTextId] = EndOfTextId };
        for (var i = 0; i < keptInnerIds.Length; i++)
            _denseIdOfInner[keptInnerIds[i]] = ReservedCount + i;
    }

    /// <summary>Which inner tokenizer the ids are from ("gpt2" for the loader's default).</summary>
    public string InnerTokenizer { get; }

    public int InnerEndOfTextId { get; }

    /// <summary>Dense ids in use: the reserved ones plus the kept inner ids.</summary>
    public int Size => ReservedCount + _innerIdOfDense.Length;

    /// <summary>How often each kept id occurred in the corpus it was built from (same order as the dense ids 2..).</summary>
    public IReadOnlyList<long> Counts { get; }

    /// <summary>
    /// Keeps the <paramref name="maxSize"/> − 2 most frequent inner ids of the corpus (the size counts the reserved ids).
    /// The inner end-of-text id always maps to the reserved end-of-text id and takes no other slot.
    /// </summary>
    public static CompactVocabulary Build(IEnumerable<IReadOnlyList<int>> tokenisedCorpus, int maxSize,
        int innerEndOfTextId = Gpt2Tokenizer.Gpt2EndOfTextId, string innerTokenizer = "gpt2")
    {
        ArgumentNullException.ThrowIfNull(tokenisedCorpus);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, ReservedCount + 1);
        var counts = new Dictionary<int, long>();
        foreach (var document in tokenisedCorpus)
            foreach (var id in document)
                if (id != innerEndOfTextId)
                    counts[id] = counts.GetValueOrDefault(id) + 1;
        var kept = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key).Take(maxSize - ReservedCount).ToArray();
        return new CompactVocabulary(innerTokenizer, innerEndOfTextId, kept.Select(c => c.Key).ToArray(), kept.Select(c => c.Value).ToArray());
    }

    public int ToDense(int innerId) => _denseIdOfInner.GetValueOrDefault(innerId, UnknownId);

    /// <summary>The inner id of a dense id; null for &lt;unk&gt;, which stands for no one inner id.</summary>
    public int? ToInner(int denseId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(denseId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(denseId, Size);
        return denseId switch
        {
            UnknownId => null,
            EndOfTextId => InnerEndOfTextId,
            _ => _innerIdOfDense[denseId - ReservedCount],
        };
    }

    /// <summary>Writes <paramref name="path"/> (a file, or a folder to hold vocab-map.json) atomically.</summary>
    public void Save(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        var document = new VocabularyFile(Format, InnerTokenizer, InnerEndOfTextId, UnknownId, EndOfTextId, _innerIdOfDense, Counts.ToArray());
        AtomicFile.Write(file, stream => JsonSerializer.Serialize(stream, document, FileJson));
    }

    /// <summary>Reads a vocab-map.json (or the one in a folder).</summary>
    public static CompactVocabulary Load(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        VocabularyFile? document;
        try
        {
            using var stream = File.OpenRead(file);
            document = JsonSerializer.Deserialize<VocabularyFile>(stream, FileJson);
        }
        catch (JsonException bad)
        {
            throw new InvalidDataException($"{file}: not a compact vocabulary: {bad.Message}", bad);
        }
        if (document is null || document.Format != Format || document.InnerIds is null || document.InnerTokenizer is null)
            throw new InvalidDataException($"{file}: not a compact vocabulary ({Format})");
        if (document.UnknownId != UnknownId || document.EndOfTextId != EndOfTextId)
            throw new InvalidDataException($"{file}: reserved ids differ from <unk>={UnknownId}, end-of-text={EndOfTextId}");
        if (document.InnerIds.Distinct().Count() != document.InnerIds.Length || document.InnerIds.Contains(document.InnerEndOfTextId))
            throw new InvalidDataException($"{file}: inner ids repeat");
        var counts = document.Counts is { } c && c.Length == document.InnerIds.Length ? c : new long[document.InnerIds.Length];
        return new CompactVocabulary(document.InnerTokenizer, document.InnerEndOfTextId, document.InnerIds, counts);
    }

    private static readonly JsonSerializerOptions FileJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>vocab-map.json: inner_ids[i] is the inner id of dense id i + 2.</summary>
    private sealed record VocabularyFile(
        string Format,
        string InnerTokenizer,
        int InnerEndOfTextId,
        int UnknownId,
        int EndOfTextId,
        int[] InnerIds,
        long[]? Counts);
}
