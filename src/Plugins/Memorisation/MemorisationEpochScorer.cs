using System.Diagnostics;
using System.Globalization;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Memorisation;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Tokenization;

namespace Pipeline.Plugins.Memorisation;

/// <summary>
/// Epoch scorer: loads the epoch's checkpoint and scores the run's fixed training and held-out samples for verbatim
/// memorisation, token match and the n-gram memorisation score (batched, KV-cached greedy decoding). Publishes the
/// metrics and their *_heldout twins, and stores the per-record scores beside the checkpoint (memorisation.jsonl).
/// Settings (Plugins:Settings:memorisation): PrefixTokens, SuffixTokens, NgramSizes ("2,3,4"), BatchSize, Device.
/// </summary>
public sealed class MemorisationEpochScorer : IEpochScorer, IConfigurablePlugin<MemorisationScorerSettings>
{
    public const string RecordsFileName = "memorisation.jsonl";

    private MemorisationSettings _settings = new();
    private string _device = "cpu";

    public string Name => "memorisation";

    public void Configure(MemorisationScorerSettings settings)
    {
        var configured = new MemorisationSettings
        {
            PrefixTokens = settings.PrefixTokens,
            SuffixTokens = settings.SuffixTokens,
            BatchSize = settings.BatchSize,
            NgramSizes = settings.NgramSizes.Split(',', StringSplitOptions.TrimEntries)
                .Select(n => int.TryParse(n, CultureInfo.InvariantCulture, out var size) ? size : throw new ArgumentException($"NgramSizes: '{n}' is not a whole number"))
                .ToList(),
        };
        configured.Validate();
        (_settings, _device) = (configured, settings.Device);
    }

    public Task<IReadOnlyDictionary<string, double>> ScoreAsync(EpochCompleted epoch, CancellationToken cancellationToken)
    {
        if (epoch.TrainSample is null || epoch.HeldOutSample is null)
            return Task.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double>());
        // Scoring is CPU-bound: run it off the bus's thread.
        return Task.Run(() => Score(epoch, cancellationToken), cancellationToken);
    }

    private IReadOnlyDictionary<string, double> Score(EpochCompleted epoch, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var folder = epoch.Checkpoint.Path;
        AnnouncedWeights.Verify(epoch.Checkpoint.Path, epoch.Checkpoint.Sha256);
        using var model = CheckpointStore.Load(folder, DeviceSelector.Resolve(_device));
        var tokenizer = TokenizerLoader.ForCheckpoint(folder);
        var scorer = new MemorisationScorer(model, tokenizer, _settings);

        var trained = scorer.Score(JsonlDataset.Read(epoch.TrainSample!), MemorisationSide.Trained, cancellationToken);
        var heldOut = scorer.Score(JsonlDataset.Read(epoch.HeldOutSample!), MemorisationSide.HeldOut, cancellationToken);
        MemorisationScorer.WriteRecords(Path.Combine(folder, RecordsFileName), trained.Records.Concat(heldOut.Records));

        var train = MemorisationSummary.Of(trained.Records, trained.Skipped);
        var held = MemorisationSummary.Of(heldOut.Records, heldOut.Skipped);
        return new Dictionary<string, double>
        {
            ["verbatim_rate"] = train.VerbatimRate,
            ["verbatim_rate_heldout"] = held.VerbatimRate,
            ["token_match"] = train.TokenMatch,
            ["token_match_heldout"] = held.TokenMatch,
            ["ngram_score"] = train.NgramScore,
            ["ngram_score_heldout"] = held.NgramScore,
            ["memorisation_scored"] = train.Scored + held.Scored,
            ["memorisation_skipped"] = train.Skipped + held.Skipped,
            ["scoring_seconds"] = clock.Elapsed.TotalSeconds,
        };
    }
}
