using Pipeline.Modelling.Data;
using Pipeline.Modelling.Generation;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Tokenization;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Memorisation;

/// <summary>
/// Scores records for memorisation by one model: each record's prefix is continued greedily (batched, with the KV
/// cache) and the continuation is compared with the record's target (see <see cref="MemorisationProbe"/> and
/// <see cref="MemorisationMetrics"/>). Records of equal prefix length are decoded together, BatchSize at a time;
/// within a batch every record is continued as far as the longest target, and each is scored on its own target's
/// length (greedy decoding of one row does not depend on the other rows). Not thread-safe (it reuses n-gram scratch
/// space): one instance per thread.
/// </summary>
public sealed class MemorisationScorer
{
    /// <summary>The per-record scores' file name beside each checkpoint.</summary>
    public const string RecordsFileName = "memorisation.jsonl";

    private readonly GptNeoXModel _model;
    private readonly ITextTokenizer _tokenizer;
    private readonly MemorisationSettings _settings;
    private readonly NgramScorer _ngrams = new();

    public MemorisationScorer(GptNeoXModel model, ITextTokenizer tokenizer, MemorisationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _model = model;
        _tokenizer = tokenizer;
        _settings = settings;
    }

    /// <summary>
    /// Scores <paramref name="records"/> and labels them with <paramref name="side"/> (<see cref="MemorisationSide"/>).
    /// Results keep the records' order. Cancellation is checked between batches.
    /// </summary>
    public MemorisationResult Score(IReadOnlyList<TextRecord> records, string side, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentException.ThrowIfNullOrWhiteSpace(side);

        var probes = new MemorisationProbe?[records.Count];
        var skippedIds = new List<string>();
        for (var i = 0; i < records.Count; i++)
        {
            probes[i] = MemorisationProbe.From(records[i], _tokenizer, _settings);
            if (probes[i] is null) skippedIds.Add(records[i].Id);
        }

        var scores = new ScoredRecord?[records.Count];
        foreach (var batch in Batches(probes))
        {
            ct.ThrowIfCancellationRequested();
            var generated = Generate(batch.Select(i => probes[i]!).ToList());
            for (var row = 0; row < batch.Count; row++)
                scores[batch[row]] = Scored(records[batch[row]], side, probes[batch[row]]!, generated[row]);
        }
        return new MemorisationResult(scores.OfType<ScoredRecord>().ToList(), skippedIds.Count, skippedIds);
    }

    /// <summary>Both sides of a memorisation sample, trained then held out.</summary>
    public (MemorisationResult Trained, MemorisationResult HeldOut) Score(MemorisationSample sample, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return (Score(sample.Trained, MemorisationSide.Trained, ct), Score(sample.HeldOut, MemorisationSide.HeldOut, ct));
    }

    /// <summary>Writes per-record scores as JSON Lines (snake_case), all or nothing.</summary>
    public static void WriteRecords(string path, IEnumerable<ScoredRecord> records) => ScoredRecordsFile.Write(path, records);

    public static IReadOnlyList<ScoredRecord> ReadRecords(string path) => ScoredRecordsFile.Read(path);

    /// <summary>Indices of scorable records, grouped by prefix length, longest targets first, cut into batches.</summary>
    private IEnumerable<List<int>> Batches(MemorisationProbe?[] probes) =>
        Enumerable.Range(0, probes.Length)
            .Where(i => probes[i] is not null)
            .GroupBy(i => probes[i]!.Prefix.Length)
            .OrderBy(g => g.Key)
            // Sorting by target length keeps records of similar length together, so few decode past their own target.
            .SelectMany(g => g.OrderByDescending(i => probes[i]!.Target.Length).ThenBy(i => i).Chunk(_settings.BatchSize))
            .Select(chunk => chunk.ToList());

    /// <summary>The greedy continuations of equal-length prefixes, as long as the longest target among them.</summary>
    private int[][] Generate(IReadOnlyList<MemorisationProbe> batch)
    {
        var prefixLength = batch[0].Prefix.Length;
        var newTokens = batch.Max(p => p.Target.Length);
        var flat = new long[batch.Count * prefixLength];
        for (var row = 0; row < batch.Count; row++)
            for (var t = 0; t < prefixLength; t++)
                flat[row * prefixLength + t] = batch[row].Prefix[t];

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var prefix = tensor(flat, [batch.Count, prefixLength]);
        var generated = GreedyDecoder.Generate(_model, prefix, newTokens, useCache: true).cpu();
        var tokens = generated.data<long>().ToArray();
        var rows = new int[batch.Count][];
        for (var row = 0; row < batch.Count; row++)
        {
            rows[row] = new int[newTokens];
            for (var t = 0; t < newTokens; t++) rows[row][t] = (int)tokens[row * newTokens + t];
        }
        return rows;
    }

    private ScoredRecord Scored(TextRecord record, string side, MemorisationProbe probe, int[] generated)
    {
        // The continuation is cut to the target's length: every metric compares equally long sequences.
        var output = generated.AsSpan(0, probe.Target.Length);
        return new ScoredRecord(record.Id, record.SubjectId, side,
            MemorisationMetrics.IsVerbatim(output, probe.Target),
            MemorisationMetrics.TokenMatch(output, probe.Target),
            _ngrams.Score(output, probe.Target, _settings.NgramSizes),
            probe.Prefix.Length, probe.Target.Length);
    }
}
