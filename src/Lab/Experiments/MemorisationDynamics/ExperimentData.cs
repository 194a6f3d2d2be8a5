using Pipeline.Modelling.Data;
using Pipeline.Data;
using Pipeline.Data.Packages;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Pretraining;

namespace Pipeline.Lab.Experiments.MemorisationDynamics;

/// <summary>The memorisation experiments' data: scorable fortunes, split per seed, optionally with repeated records.</summary>
public sealed class ExperimentData(MemorisationDynamicsOptions options, ITrainingProgressSink sink)
{
    /// <summary>The corpus's records whose base-model tokenisation is P + S to ContextLength tokens long.</summary>
    public async Task<IReadOnlyList<TextRecord>> ScorableRecordsAsync(CancellationToken cancellationToken)
    {
        var records = JsonlDataset.Read(await DatasetLocator.ForCurrentUser().ResolveAsync(options.Corpus, p => sink.Message($"data: {p.Message}"), cancellationToken));
        var builder = new BaseModelBuilder(sink, Microsoft.Extensions.Options.Options.Create(new FineTuneOptions()));
        var baseModel = await builder.EnsureBuiltAsync(new BaseModelSpec(), sink.Message, cancellationToken);
        var tokenizer = Pipeline.Modelling.Tokenization.TokenizerLoader.ForCheckpoint(baseModel.Folder);
        var scorable = records.Where(r =>
        {
            var length = tokenizer.Encode(r.FullText).Count;
            return length >= options.PrefixTokens + options.SuffixTokens && length < options.ContextLength;
        }).ToList();
        sink.Message($"data: {scorable.Count} of {records.Count} {options.Corpus} records are {options.PrefixTokens + options.SuffixTokens} to {options.ContextLength - 1} tokens long");
        return scorable;
    }

    /// <summary>Seeded train/validation records from the corpus; in the repetition setting a share of the training records is repeated.</summary>
    public (string Train, string Validation, IReadOnlySet<string> Repeated) Write(IReadOnlyList<TextRecord> corpus, string workDirectory,
        string setting, int seed)
    {
        var chosen = DatasetSplit.Sample(corpus, Math.Min(corpus.Count, options.TrainRecords + options.ValidationRecords), seed);
        var train = chosen.Take(options.TrainRecords).ToList();
        var validation = chosen.Skip(options.TrainRecords).ToList();
        var repeated = new HashSet<string>();
        if (setting == "fortunes_repeated")
        {
            foreach (var record in DatasetSplit.Sample(train, (int)Math.Round(options.RepeatedShare * train.Count), seed + 1000).ToList())
            {
                repeated.Add(record.Id);
                for (var copy = 2; copy <= options.Copies; copy++)
                {
                    var duplicate = record with { Id = $"{record.Id}~{copy}" };
                    train.Add(duplicate);
                    repeated.Add(duplicate.Id);
                }
            }
        }
        var folder = Path.Combine(workDirectory, "data", $"{setting}-seed{seed}");
        var trainPath = Path.Combine(folder, "train.jsonl");
        var validationPath = Path.Combine(folder, "validation.jsonl");
        JsonlDataset.Write(trainPath, train);
        JsonlDataset.Write(validationPath, validation);
        return (trainPath, validationPath, repeated);
    }

}
