using Pipeline.Modelling.Storage;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.Json;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Tokenization;
using Pipeline.Modelling.Training;
using TorchSharp;
using Pipeline.Data;
using Pipeline.Data.Packages;
using Pipeline.Node.FineTuning;

namespace Pipeline.Node.Pretraining;

/// <summary>
/// Pretrains the tiny base model: pull the corpora, tokenise with GPT-2, keep the most frequent ids as a compact
/// vocabulary, and train for the token budget (one pass over a seeded shuffle of the records, cut at the budget).
/// Built in a temporary folder and renamed into the cache at the end, so a crash never leaves half a model.
/// </summary>
public sealed class BaseModelBuilder(ITrainingProgressSink progressSink, IOptions<FineTuneOptions> options)
{
    public const string SummaryFileName = "pretrain.json";

    public sealed record Built(string Folder, bool FromCache, PretrainSummary Summary);

    public sealed record PretrainSummary(string Key, long Tokens, int Steps, double TrainLoss, double ValLoss, double ValPerplexity,
        double Seconds, string Precision, int VocabularySize, IReadOnlyList<string> Corpora);

    public async Task<Built> EnsureBuiltAsync(BaseModelSpec spec, Action<string> progress, CancellationToken cancellationToken)
    {
        var locator = DatasetLocator.ForCurrentUser();
        var corpusPaths = new List<string>();
        foreach (var corpus in spec.Corpora)
            corpusPaths.Add(await locator.ResolveAsync(corpus, p => progress($"data: {p.Corpus}: {p.Message}"), cancellationToken));

        var key = CacheKey(spec, corpusPaths);
        var folder = Path.Combine(BaseModelLocator.CacheRoot, $"base-{key}");
        var summaryPath = Path.Combine(folder, SummaryFileName);
        if (File.Exists(summaryPath))
            return new Built(folder, true, JsonSerializer.Deserialize<PretrainSummary>(File.ReadAllText(summaryPath), SnakeCaseJson.Options)!);

        progress($"pretrain: building the base model {key} (one-off; cached in {folder})");
        var staging = $"{folder}.building-{Environment.ProcessId}";
        if (Directory.Exists(staging))
            Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        try
        {
            var summary = await Task.Run(() => Train(spec, key, corpusPaths, staging, progress, cancellationToken), cancellationToken);
            AtomicFile.WriteAllText(Path.Combine(staging, SummaryFileName), JsonSerializer.Serialize(summary, SnakeCaseJson.Options));
            Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true); // a folder without its summary is an unfinished build
            Directory.Move(staging, folder);
            return new Built(folder, false, summary);
        }
        catch
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    private PretrainSummary Train(BaseModelSpec spec, string key, IReadOnlyList<string> corpusPaths, string folder, Action<string> progress,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var gpt2 = new Gpt2Tokenizer();
        var records = corpusPaths.SelectMany(JsonlDataset.Read).ToList();
        progress($"pretrain: tokenising {records.Count} records with GPT-2");
        var split = DatasetSplit.Split(records, 0.02, spec.Seed);
        var trainIds = split.Train.Select(r => gpt2.Encode(r.FullText)).ToList();
        var vocabulary = CompactVocabulary.Build(trainIds, spec.VocabularySize);
        vocabulary.Save(folder);
        var tokenizer = new CompactTokenizer(gpt2, vocabulary);

        // One pass over a seeded shuffle of the training records, cut once the token budget is reached.
        var shuffled = DatasetSplit.Sample(split.Train, split.Train.Count, spec.Seed);
        var train = new List<int[]>();
        long tokens = 0;
        foreach (var record in shuffled)
        {
            if (tokens >= spec.TokenBudget)
                break;
            var ids = RunData.Tokenise(record, tokenizer);
            var room = (int)Math.Min(ids.Length, spec.TokenBudget - tokens);
            train.Add(ids[..room]);
            tokens += room;
        }
        var validation = split.Validation.Select(r => RunData.Tokenise(r, tokenizer)).ToList();

        var device = DeviceSelector.Resolve(options.Value.Device ?? "auto");
        var precision = PrecisionChoice.Resolve(spec.Precision, device);
        var trainingOptions = new TrainingOptions
        {
            Epochs = 1,
            BatchSize = spec.BatchSize,
            ContextLength = spec.ContextLength,
            LearningRate = spec.LearningRate,
            WarmupFraction = 0.05,
            Seed = spec.Seed,
            Precision = precision,
            Threads = options.Value.Threads > 0 ? options.Value.Threads : Environment.ProcessorCount,
        };
        TorchSharp.torch.manual_seed(spec.Seed);
        using var model = new GptNeoXModel(spec.ModelConfig(vocabulary.Size));
        model.to(device);
        using var trainer = new LanguageModelTrainer(model, train, trainingOptions);
        progress($"pretrain: {tokens:N0} tokens, vocabulary {vocabulary.Size}, {precision}, {trainingOptions.Threads} threads");
        var result = trainer.TrainEpoch(1, progressSink.Training(Guid.Empty, 1, 1), cancellationToken);
        var valLoss = trainer.Evaluate(validation);
        CheckpointStore.Save(model, folder, new Dictionary<string, string> { ["pretrain_key"] = key });
        return new PretrainSummary(key, result.Tokens, result.Steps, result.TrainLoss, valLoss, Math.Exp(valLoss), clock.Elapsed.TotalSeconds,
            precision.ToString(), vocabulary.Size, spec.Corpora);
    }

    /// <summary>Hash of the spec and of the corpora's record files: a change in either builds a new model.</summary>
    private static string CacheKey(BaseModelSpec spec, IReadOnlyList<string> corpusPaths)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(spec)));
        foreach (var path in corpusPaths)
        {
            using var stream = File.OpenRead(path);
            hash.AppendData(SHA256.HashData(stream));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
