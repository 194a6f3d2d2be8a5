namespace Pipeline.Plugins.FilterPruning;

/// <summary>Plugins:Settings:filter-pruner. Left out, a number keeps the method's default (FilterPruningOptions, CnnCompressionSizes).</summary>
public sealed class FilterPrunerSettings
{
    /// <summary>l2pf, try-and-learn or l1-filters.</summary>
    public string Method { get; set; } = "l2pf";

    /// <summary>Comma-separated checkpoint kinds pruned.</summary>
    public string Kinds { get; set; } = "best";
    public double? AllowedDrop { get; set; }
    public int? Episodes { get; set; }
    public int? Samples { get; set; }
    public int? FineTuneSteps { get; set; }
    public int? FinalSteps { get; set; }
    public double? UniformKeep { get; set; }
    public int? Seed { get; set; }
    public int? TrainImages { get; set; }
    public int? RewardImages { get; set; }
    public int? TestImages { get; set; }
}
