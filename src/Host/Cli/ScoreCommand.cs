using System.CommandLine;
using System.Diagnostics;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Memorisation;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Tokenization;
using Pipeline.Data;
using Pipeline.Data.Packages;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Torch;

namespace Pipeline.Host.Cli;

/// <summary>
/// `pipeline score`: the memorisation metrics of any checkpoint. Without --data, a checkpoint of a run is scored on
/// that run's own samples (runs/&lt;run-id&gt;/sample-train.jsonl and sample-heldout.jsonl).
/// </summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint folder (config.json + model.safetensors + tokenizer files).", Required = true };
        var data = new Option<string?>("--data") { Description = "Records to score as trained-on: a corpus name or a JSONL file (default: the run's training sample)." };
        var heldOut = new Option<string?>("--heldout") { Description = "Records to score as held-out: a corpus name or a JSONL file (default: the run's held-out sample)." };
        var sample = new Option<int>("--sample") { Description = "Score a seeded sample of at most this many records per side.", DefaultValueFactory = _ => 256 };
        var seed = new Option<int>("--seed") { Description = "Seed of the sample.", DefaultValueFactory = _ => 7 };
        var prefix = new Option<int>("--prefix") { Description = "P: prefix tokens of a text record.", DefaultValueFactory = _ => new MemorisationSettings().PrefixTokens };
        var suffix = new Option<int>("--suffix") { Description = "S: target tokens after the prefix.", DefaultValueFactory = _ => new MemorisationSettings().SuffixTokens };
        var ngrams = new Option<string>("--ngram-sizes") { Description = "n-gram sizes of the n-gram score, comma-separated.", DefaultValueFactory = _ => "2,3,4" };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var json = CommonOptions.Json();
        var command = new Command("score",
            "Memorisation metrics of a checkpoint: verbatim rate (greedy continuation of P prefix tokens equals the next S), token match, " +
            "and the n-gram memorisation score, on trained-on and held-out records.")
        {
            checkpoint, data, heldOut, sample, seed, prefix, suffix, ngrams, device, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = Path.GetFullPath(parse.GetValue(checkpoint)!);
            if (!File.Exists(Path.Combine(folder, CheckpointStore.ConfigFileName)))
                throw new UsageException($"--checkpoint {folder}: not a checkpoint folder (no config.json)");
            MemorisationSettings settings;
            try
            {
                settings = new MemorisationSettings
                {
                    PrefixTokens = parse.GetValue(prefix),
                    SuffixTokens = parse.GetValue(suffix),
                    NgramSizes = parse.GetValue(ngrams)!.Split(',', StringSplitOptions.TrimEntries).Select(int.Parse).ToList(),
                };
                settings.Validate();
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new UsageException($"bad memorisation settings: {e.Message}");
            }

            var runDirectory = Path.GetFullPath(Path.Combine(folder, "..", ".."));
            var trainPath = parse.GetValue(data) ?? RunSample(runDirectory, RunData.TrainSampleFileName, "--data");
            var heldOutPath = parse.GetValue(heldOut) ?? (parse.GetValue(data) is null ? RunSample(runDirectory, RunData.HeldOutSampleFileName, "--heldout") : null);
            var trained = await LoadAsync(trainPath, parse.GetValue(sample), parse.GetValue(seed), cancellationToken);
            var held = heldOutPath is null ? null : await LoadAsync(heldOutPath, parse.GetValue(sample), parse.GetValue(seed), cancellationToken);

            TorchRuntime.EnsureLoaded();
            var clock = Stopwatch.StartNew();
            using var model = CheckpointStore.Load(folder, DeviceSelector.Resolve(parse.GetValue(device)!));
            var scorer = new MemorisationScorer(model, TokenizerLoader.ForCheckpoint(folder), settings);
            CliOutput.Progress($"score: {trained.Count} trained-on{(held is null ? "" : $" and {held.Count} held-out")} records, P={settings.PrefixTokens} S={settings.SuffixTokens}");
            var trainedResult = scorer.Score(trained, MemorisationSide.Trained, cancellationToken);
            var heldResult = held is null ? null : scorer.Score(held, MemorisationSide.HeldOut, cancellationToken);
            var trainSummary = MemorisationSummary.Of(trainedResult.Records, trainedResult.Skipped);
            var heldSummary = heldResult is null ? null : MemorisationSummary.Of(heldResult.Records, heldResult.Skipped);

            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(new
                {
                    Checkpoint = folder,
                    Settings = new { prefix_tokens = settings.PrefixTokens, suffix_tokens = settings.SuffixTokens, ngram_sizes = settings.NgramSizes },
                    Train = trainSummary,
                    Heldout = heldSummary,
                    Seconds = clock.Elapsed.TotalSeconds,
                });
                return ExitCodes.Success;
            }
            Console.WriteLine($"memorisation of {folder} (P={settings.PrefixTokens}, S={settings.SuffixTokens}, n in {{{string.Join(",", settings.NgramSizes)}}})");
            Console.WriteLine($"  {"side",-9} {"records",8} {"skipped",8} {"verbatim",9} {"token match",12} {"n-gram",8}");
            Print("trained", trainSummary);
            if (heldSummary is not null)
                Print("held-out", heldSummary);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(string side, MemorisationSummary s) =>
        Console.WriteLine($"  {side,-9} {s.Scored,8} {s.Skipped,8} {s.VerbatimRate,9:0.000} {s.TokenMatch,12:0.000} {s.NgramScore,8:0.000}");

    private static string RunSample(string runDirectory, string fileName, string option)
    {
        var path = Path.Combine(runDirectory, fileName);
        return File.Exists(path) ? path : throw new UsageException($"the checkpoint is not inside a run with scoring samples ({path} is missing): give {option}");
    }

    private static async Task<IReadOnlyList<TextRecord>> LoadAsync(string nameOrPath, int sample, int seed, CancellationToken cancellationToken)
    {
        if (sample < 1)
            throw new UsageException("--sample must be at least 1");
        var path = File.Exists(nameOrPath) ? nameOrPath : await DatasetLocator.ForCurrentUser().ResolveAsync(nameOrPath, p => CliOutput.Progress($"data: {p.Message}"), cancellationToken);
        var records = JsonlDataset.Read(path);
        return records.Count > sample ? DatasetSplit.Sample(records, sample, seed) : records;
    }
}
