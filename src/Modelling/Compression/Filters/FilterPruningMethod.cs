namespace Pipeline.Modelling.Compression.Filters;

/// <summary>The CNN filter-pruning methods by their CLI names.</summary>
public static class FilterPruningMethod
{
    public static readonly IReadOnlyList<string> Names = ["l2pf", "try-and-learn", "l1-filters"];

    public static bool Is(string name) => Names.Contains(name);

    public static IFilterPruner Create(string name) => name switch
    {
        "l2pf" => new L2pfPruner(),
        "try-and-learn" => new TryAndLearnPruner(),
        "l1-filters" => new UniformL1Pruner(),
        _ => throw new ArgumentException($"unknown filter-pruning method \"{name}\" (known: {string.Join(", ", Names)})"),
    };
}
