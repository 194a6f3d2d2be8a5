using System.Diagnostics;
using Pipeline.Modelling.Vision;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>
/// The uniform baseline (Li et al., 2017, "Pruning filters for efficient ConvNets"): every group keeps the same share
/// of its filters, those with the largest L1 norms, all removed at once; then the network is fine-tuned for as many
/// steps as try-and-learn spends over all its layers.
/// </summary>
public sealed class UniformL1Pruner : IFilterPruner
{
    public string Name => "l1-filters";

    public FilterPruningOutcome Prune(ResNet model, FilterPruningData data, FilterPruningOptions options, Action<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        var total = Stopwatch.StartNew();
        var selection = new FilterSelection(model.Shape);
        var decisions = new List<LayerDecision>();
        foreach (var group in FilterGroup.All(model.Shape))
        {
            var norms = FilterFeatures.L1Norms(model, group);
            var keep = Math.Max(1, (int)Math.Round(options.UniformKeep * norms.Length));
            selection.Keep(group, Enumerable.Range(0, norms.Length).OrderByDescending(i => norms[i]).Take(keep));
            decisions.Add(new LayerDecision(group.Name, norms.Length, keep, null, null, null, 0, 0, 0, 0, 0));
        }
        var pruned = FilterSurgery.Remove(model, selection);
        try
        {
            var steps = options.FineTuneSteps * decisions.Count + options.FinalSteps;
            var tuning = Stopwatch.StartNew();
            progress?.Invoke($"{Name}: kept {options.UniformKeep:P0} of every group's filters by L1 norm; fine-tuning {steps} steps");
            ClassifierTraining.Train(pruned, data.Train, steps, options.FineTune with { Seed = options.Seed * 1000, Cosine = options.FinalSteps > 0 },
                cancellationToken: cancellationToken);
            pruned.eval();
            return new FilterPruningOutcome(Name, pruned, decisions, total.Elapsed.TotalSeconds, 0, tuning.Elapsed.TotalSeconds, steps);
        }
        catch
        {
            pruned.Dispose();
            throw;
        }
    }
}
