namespace Pipeline.Modelling.Compression;

/// <summary>
/// A compression method by its CLI name: the unstructured pruning criteria (stored sparse) and the storage formats
/// (quantisation; no retraining).
/// </summary>
public sealed record CompressionMethod(string Name, PruningCriterion? Criterion, StorageFormat Format)
{
    public static readonly IReadOnlyList<CompressionMethod> All =
    [
        new("magnitude", PruningCriterion.Magnitude, StorageFormat.Sparse),
        new("random", PruningCriterion.Random, StorageFormat.Sparse),
        new("obd", PruningCriterion.Obd, StorageFormat.Sparse),
        new("taylor", PruningCriterion.Taylor, StorageFormat.Sparse),
        new("fp16", null, StorageFormat.Float16),
        new("bf16", null, StorageFormat.BFloat16),
        new("int8", null, StorageFormat.Int8),
    ];

    public bool Prunes => Criterion is not null;

    /// <summary>Whether the method needs gradients over calibration data.</summary>
    public bool NeedsCalibration => Criterion is PruningCriterion.Obd or PruningCriterion.Taylor;

    public static string Names => string.Join("|", All.Select(m => m.Name));

    public static CompressionMethod Parse(string name) =>
        All.FirstOrDefault(m => m.Name == name) ?? throw new ArgumentException($"unknown compression method \"{name}\" (known: {string.Join(", ", All.Select(m => m.Name))})");
}
