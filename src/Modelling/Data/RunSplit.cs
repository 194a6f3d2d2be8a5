using System.Text.Json;
using Pipeline.Modelling.Storage;

namespace Pipeline.Modelling.Data;

/// <summary>
/// runs/&lt;run-id&gt;/split.json: the ids of the records a run trained on and validated on, written once when the run
/// starts, with where they come from and how the run batches them. Forgetting retrains on exactly these minus the
/// erased ones, whatever happens to the data set afterwards; compression calibrates, fine-tunes and measures on them.
/// </summary>
public sealed record RunSplit(IReadOnlyList<string> Train, IReadOnlyList<string> Validation)
{
    /// <summary>The data set file the ids refer to (null in split files written before it was recorded).</summary>
    public string? DatasetPath { get; init; }

    /// <summary>The separate validation file, when the run had one (null: the validation ids are in DatasetPath too).</summary>
    public string? ValidationDatasetPath { get; init; }

    /// <summary>Every data set file the run's records come from.</summary>
    public IEnumerable<string> DatasetPaths => new[] { DatasetPath, ValidationDatasetPath }.OfType<string>().Distinct();

    /// <summary>The run's memorisation scoring sample of trained-on records.</summary>
    public string? TrainSample { get; init; }

    public int BatchSize { get; init; } = 16;

    public int ContextLength { get; init; } = 128;

    public double LearningRate { get; init; } = 5e-4;

    public int Seed { get; init; }

    public const string FileName = "split.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static RunSplit Of(DatasetSplitResult split) => new(split.Train.Select(r => r.Id).ToList(), split.Validation.Select(r => r.Id).ToList());

    public static RunSplit? TryLoad(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<RunSplit>(File.ReadAllText(path), Json) : null;
    }

    public void Save(string runDirectory) => AtomicFile.WriteAllText(Path.Combine(runDirectory, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>The split without the given record ids (after an erasure).</summary>
    public RunSplit Without(IReadOnlySet<string> ids) =>
        this with { Train = Train.Where(id => !ids.Contains(id)).ToList(), Validation = Validation.Where(id => !ids.Contains(id)).ToList() };

    /// <summary>
    /// The run's training and validation records as the data set files hold them now (erased ones are gone).
    /// <paramref name="datasetPath"/> stands in for DatasetPath in split files written before it was recorded.
    /// </summary>
    public (IReadOnlyList<TextRecord> Train, IReadOnlyList<TextRecord> Validation) Records(string? datasetPath = null)
    {
        var trainFile = DatasetPath ?? datasetPath ?? throw new InvalidOperationException("the split file names no data set");
        var train = JsonlDataset.Read(trainFile).ToDictionary(r => r.Id, StringComparer.Ordinal);
        var validation = ValidationDatasetPath is { } separate ? JsonlDataset.Read(separate).ToDictionary(r => r.Id, StringComparer.Ordinal) : train;
        return (Train.Where(train.ContainsKey).Select(id => train[id]).ToList(), Validation.Where(validation.ContainsKey).Select(id => validation[id]).ToList());
    }
}
