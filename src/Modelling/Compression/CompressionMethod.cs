namespace Pipeline.Modelling.Compression;

/// <summary>
/// A compression method by its CLI name: the unstructured pruning criteria (stored sparse), structured pruning of
/// neurons or heads (a smaller dense model; ranked by the request's criterion), and the storage formats (quantisation).
/// </summary>
public sealed record CompressionMethod(string Name, PruningCriterion? Criterion, StorageFormat Format, StructuredUnit? Unit = null)
{
    public static readonly IReadOnlyList<CompressionMethod> All =
    [
        new("magnitude", PruningCriterion.Magnitude, StorageFormat.Sparse),
        new("random", PruningCriterion.Random, StorageFormat.Sparse),
        new("obd", PruningCriterion.Obd, StorageFormat.Sparse),
        new("taylor", PruningCriterion.Taylor, StorageFormat.Sparse),
        new("neurons", null, StorageFormat.Float32, StructuredUnit.Neurons),
        new("heads", null, StorageFormat.Float32, StructuredUnit.Heads),
        new("fp16", null, StorageFormat.Float16),
        new("bf16", null, StorageFormat.BFloat16),
        new("int8", null, StorageFormat.Int8),
    ];

    public bool Prunes => Criterion is not null || Unit is not null;

    public static string Names => string.Join("|", All.Select(m => m.Name));

    public static CompressionMethod Parse(string name) =>
        All.FirstOrDefault(m => m.Name == name) ?? throw new ArgumentException($"unknown compression method \"{name}\" (known: {string.Join(", ", All.Select(m => m.Name))})");
}
