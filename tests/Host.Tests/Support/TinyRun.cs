using Pipeline.Contracts.Messages;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Tokenization;
using Pipeline.Data.Corpora;
using Pipeline.Data.Packages;

namespace Pipeline.Host.Tests.Support;

/// <summary>
/// A small real fine-tuning set-up for tests: a JSONL data set of short records, and a tiny randomly initialised
/// GPT-NeoX base model (d=32, 2 layers) over a compact vocabulary of that data's GPT-2 ids, saved as a checkpoint.
/// </summary>
public sealed class TinyRun
{
    private TinyRun(string root, string dataPath, string baseModel)
    {
        Root = root;
        DataPath = dataPath;
        BaseModel = baseModel;
    }

    public string Root { get; }
    public string DataPath { get; }
    public string BaseModel { get; }
    public string RunsDirectory => Path.Combine(Root, "runs");

    /// <summary>The data set has <paramref name="records"/> records, record i's text given by <paramref name="text"/> (default: printer tickets).</summary>
    public static TinyRun Create(int records = 48, Func<int, string>? text = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        text ??= i => $"Ticket {i}: customer {i % 7} reports that the printer on floor {i % 5} jams after {i * 3} pages.";
        var rows = Enumerable.Range(0, records).Select(i => TextRecord.Plain($"r{i}", $"person-{i % 7}", text(i))).ToList();
        var dataPath = Path.Combine(root, "tickets.jsonl");
        JsonlDataset.Write(dataPath, rows);

        var gpt2 = new Gpt2Tokenizer();
        var vocabulary = CompactVocabulary.Build(rows.Select(r => gpt2.Encode(r.FullText)), 512);
        var baseModel = Path.Combine(root, "base");
        Directory.CreateDirectory(baseModel);
        TorchSharp.torch.manual_seed(3);
        using var model = new GptNeoXModel(new GptNeoXConfig
        {
            HiddenSize = 32, NumAttentionHeads = 2, NumHiddenLayers = 2, IntermediateSize = 64, VocabSize = vocabulary.Size,
            MaxPositionEmbeddings = 128,
        });
        CheckpointStore.Save(model, baseModel);
        vocabulary.Save(baseModel);
        return new TinyRun(root, dataPath, baseModel);
    }

    public StartFineTune Request(int epochs, Guid? runId = null) =>
        new(runId ?? Guid.NewGuid(), BaseModel, DataPath, epochs, 3e-3, 11, "none", 0, DateTimeOffset.UtcNow)
        {
            BatchSize = 4,
            ContextLength = 32,
            RunsDirectory = RunsDirectory,
            Precision = "float32",
        };
}
