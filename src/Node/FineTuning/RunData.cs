using Pipeline.Contracts.Messages;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Tokenization;
using Pipeline.Data;
using Pipeline.Data.Packages;

namespace Pipeline.Node.FineTuning;

/// <summary>
/// A run's records, chosen and split deterministically from its seed, and tokenised with the base model's tokenizer:
/// each record becomes its full text (text, or prompt then response) followed by end-of-text.
/// </summary>
public sealed record RunData(string DatasetPath, IReadOnlyList<TextRecord> Train, IReadOnlyList<TextRecord> Validation,
    IReadOnlyList<int[]> TrainSequences, IReadOnlyList<int[]> ValidationSequences)
{
    /// <summary>The separate validation file when the run names one (null: validation records come from DatasetPath).</summary>
    public string? ValidationDatasetPath { get; init; }

    public const string TrainSampleFileName = "sample-train.jsonl";
    public const string HeldOutSampleFileName = "sample-heldout.jsonl";

    /// <summary>
    /// Writes the run's memorisation scoring samples (seeded: the same records every epoch and on resume): up to
    /// perSide training records and as many validation records. Returns their paths.
    /// </summary>
    public (string Train, string HeldOut) WriteScoringSamples(string runDirectory, int perSide, int seed)
    {
        var sample = DatasetSplit.SampleForMemorisation(new DatasetSplitResult(Train, Validation), perSide, seed);
        var train = Path.Combine(runDirectory, TrainSampleFileName);
        var heldOut = Path.Combine(runDirectory, HeldOutSampleFileName);
        JsonlDataset.Write(train, sample.Trained);
        JsonlDataset.Write(heldOut, sample.HeldOut);
        return (train, heldOut);
    }

    /// <summary>Pulls the run's data sets into the cache when they are corpus names (a file is left as it is); cheap when cached.</summary>
    public static async Task FetchAsync(StartFineTune request, Action<string> progress, CancellationToken cancellationToken)
    {
        var locator = DatasetLocator.ForCurrentUser();
        foreach (var dataset in new[] { request.Dataset, request.ValidationDataset }.OfType<string>())
            await locator.ResolveAsync(dataset, p => progress($"data: {p.Corpus}: {p.Message}"), cancellationToken);
    }

    public static async Task<RunData> PrepareAsync(StartFineTune request, ITextTokenizer tokenizer, double validationFraction,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var locator = DatasetLocator.ForCurrentUser();
        var path = await locator.ResolveAsync(request.Dataset, p => progress($"data: {p.Corpus}: {p.Message}"), cancellationToken);
        var records = JsonlDataset.Read(path);
        if (records.Count == 0)
            throw new DataFormatException($"{path}: no records");
        var chosen = records.Count > request.MaxRecords ? DatasetSplit.Sample(records, request.MaxRecords, request.Seed) : records;
        DatasetSplitResult split;
        string? validationPath = null;
        if (request.ValidationDataset is { } validation)
        {
            validationPath = await locator.ResolveAsync(validation, p => progress($"data: {p.Corpus}: {p.Message}"), cancellationToken);
            split = new DatasetSplitResult(chosen, JsonlDataset.Read(validationPath));
        }
        else
        {
            split = DatasetSplit.Split(chosen, validationFraction, request.Seed);
        }
        if (split.Validation.Count == 0)
            throw new DataFormatException($"{path}: no validation records");
        return new RunData(path, split.Train, split.Validation, Tokenise(split.Train, tokenizer), Tokenise(split.Validation, tokenizer))
        {
            ValidationDatasetPath = validationPath is null ? null : Path.GetFullPath(validationPath),
        };
    }

    public static int[] Tokenise(TextRecord record, ITextTokenizer tokenizer) => record.TrainingSequence(tokenizer);

    private static List<int[]> Tokenise(IReadOnlyList<TextRecord> records, ITextTokenizer tokenizer) =>
        records.Select(r => Tokenise(r, tokenizer)).ToList();
}
