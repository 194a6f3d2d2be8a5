using Pipeline.Contracts.Messages;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Tokenization;

namespace Pipeline.Host.FineTuning;

/// <summary>
/// A run's records, chosen and split deterministically from its seed, and tokenised with the base model's tokenizer:
/// each record becomes its full text (text, or prompt then response) followed by end-of-text.
/// </summary>
public sealed record RunData(string DatasetPath, IReadOnlyList<TextRecord> Train, IReadOnlyList<TextRecord> Validation,
    IReadOnlyList<int[]> TrainSequences, IReadOnlyList<int[]> ValidationSequences)
{
    public static async Task<RunData> PrepareAsync(StartFineTune request, ITextTokenizer tokenizer, double validationFraction,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var path = await DatasetLocator.ForCurrentUser().ResolveAsync(request.Dataset, p => progress($"data: {p.Corpus}: {p.Message}"), cancellationToken);
        var records = JsonlDataset.Read(path);
        if (records.Count == 0)
            throw new DataFormatException($"{path}: no records");
        var chosen = records.Count > request.MaxRecords ? DatasetSplit.Sample(records, request.MaxRecords, request.Seed) : records;
        var split = DatasetSplit.Split(chosen, validationFraction, request.Seed);
        return new RunData(path, split.Train, split.Validation, Tokenise(split.Train, tokenizer), Tokenise(split.Validation, tokenizer));
    }

    public static int[] Tokenise(TextRecord record, ITextTokenizer tokenizer) =>
        [.. tokenizer.Encode(record.FullText), tokenizer.EndOfTextId];

    private static List<int[]> Tokenise(IReadOnlyList<TextRecord> records, ITextTokenizer tokenizer) =>
        records.Select(r => Tokenise(r, tokenizer)).ToList();
}
