using System.Diagnostics;
using Pipeline.Modelling.Vision;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>
/// The learned pruners' common loop (Huang et al.'s try-and-learn procedure, which L2PF keeps): for each filter group
/// from the input to the output, an agent learns which filters to drop — each choice it tries is scored by the
/// network's accuracy on the reward images with those filters switched off — then its greedy choice is removed for
/// good, and the network is fine-tuned for some steps before the next group. What the subclasses decide: how the agent
/// is set up and learns, and how long to fine-tune.
/// </summary>
public abstract class LayerByLayerPruner : IFilterPruner
{
    public abstract string Name { get; }

    public FilterPruningOutcome Prune(ResNet model, FilterPruningData data, FilterPruningOptions options, Action<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        manual_seed(options.Seed);
        var random = new Random(options.Seed);
        var total = Stopwatch.StartNew();
        var decisions = new List<LayerDecision>();
        double agentSeconds = 0, fineTuneSeconds = 0;
        var fineTuneSteps = 0;
        var groups = FilterGroup.All(model.Shape);
        Start(options);
        var current = model;
        try
        {
            for (var g = 0; g < groups.Count; g++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var group = groups[g];
                var width = group.WidthIn(current.Shape);
                var agent = Stopwatch.StartNew();
                KeepPolicyResult choice;
                double before, pruned;
                using (var evaluator = new GroupEvaluator(current, group, data.Reward))
                using (var features = FilterFeatures.Of(current, group))
                {
                    before = evaluator.Accuracy(Enumerable.Repeat(true, width).ToArray());
                    var accuracyBefore = before;
                    choice = ChooseFilters(group, features, keep =>
                        PruningReward.TryAndLearn(options.AllowedDrop, accuracyBefore, evaluator.Accuracy(keep), width, keep.Count(k => k)), options, random);
                    pruned = evaluator.Accuracy(choice.Keep);
                }
                var kept = choice.Keep.Count(k => k);
                var smaller = FilterSurgery.Remove(current, new FilterSelection(current.Shape).Keep(group, choice.Keep));
                if (!ReferenceEquals(current, model))
                    current.Dispose();
                current = smaller;
                var state = new LayerState(group, (double)g / groups.Count, width, kept, before, pruned);
                var steps = ChooseSteps(state, options, random);
                agent.Stop();

                var tuning = Stopwatch.StartNew();
                ClassifierTraining.Train(current, data.Train, steps, options.FineTune with { Seed = options.Seed * 1000 + g }, cancellationToken: cancellationToken);
                tuning.Stop();
                var afterWatch = Stopwatch.StartNew();
                var after = ClassifierTraining.Accuracy(current, data.Reward);
                Learn(state with { AccuracyAfter = after }, steps, options);
                afterWatch.Stop();

                agentSeconds += agent.Elapsed.TotalSeconds + afterWatch.Elapsed.TotalSeconds;
                fineTuneSeconds += tuning.Elapsed.TotalSeconds;
                fineTuneSteps += steps;
                var decision = new LayerDecision(group.Name, width, kept, before, pruned, after, choice.Episodes, choice.Evaluations, steps,
                    agent.Elapsed.TotalSeconds + afterWatch.Elapsed.TotalSeconds, tuning.Elapsed.TotalSeconds);
                decisions.Add(decision);
                progress?.Invoke($"{Name}: {group.Name} {kept}/{width} filters kept after {choice.Episodes} episodes; reward-set accuracy {before:P1} → {pruned:P1} → {after:P1} after {steps} fine-tuning steps");
            }

            var final = Stopwatch.StartNew();
            ClassifierTraining.Train(current, data.Train, options.FinalSteps, options.FineTune with { Seed = options.Seed * 1000 + groups.Count, Cosine = true }, cancellationToken: cancellationToken);
            fineTuneSeconds += final.Elapsed.TotalSeconds;
            fineTuneSteps += options.FinalSteps;
            current.eval();
            return new FilterPruningOutcome(Name, current, decisions, total.Elapsed.TotalSeconds, agentSeconds, fineTuneSeconds, fineTuneSteps);
        }
        catch
        {
            if (!ReferenceEquals(current, model))
                current.Dispose();
            throw;
        }
    }

    /// <summary>Called once before the first group.</summary>
    protected abstract void Start(FilterPruningOptions options);

    /// <summary>Learns which of the group's filters to keep; <paramref name="reward"/> scores a choice.</summary>
    protected abstract KeepPolicyResult ChooseFilters(FilterGroup group, Tensor features, Func<bool[], double> reward, FilterPruningOptions options, Random random);

    /// <summary>Fine-tuning steps after the group was pruned.</summary>
    protected abstract int ChooseSteps(LayerState state, FilterPruningOptions options, Random random);

    /// <summary>Told the accuracy after fine-tuning (L2PF learns its durations from it).</summary>
    protected virtual void Learn(LayerState state, int steps, FilterPruningOptions options)
    {
    }
}

/// <summary>A group just pruned: where it is, how much went, and the reward-image accuracy before, right after and (once fine-tuned) after.</summary>
public sealed record LayerState(FilterGroup Group, double Depth, int Filters, int Kept, double AccuracyBefore, double AccuracyPruned, double AccuracyAfter = double.NaN);
