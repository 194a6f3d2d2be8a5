using Pipeline.Modelling.Memorisation;
using Pipeline.Contracts.Plugins;

namespace Pipeline.Plugins.EarlyStopping;

/// <summary>
/// Training policy: stop fine-tuning when the n-gram memorisation score says memorisation is starting (see
/// NgramEarlyStoppingRule). Epochs without both n-gram metrics (no memorisation scorer installed) are not judged.
/// Settings (Plugins:Settings:ngram-early-stopping): Delta, Threshold, Patience.
/// </summary>
public sealed class NgramEarlyStoppingPolicy : ITrainingPolicy, IConfigurablePlugin<NgramEarlyStoppingSettings>
{
    public const string TrainMetric = "ngram_score";
    public const string HeldOutMetric = "ngram_score_heldout";

    public string Name => "ngram-early-stopping";

    public NgramEarlyStoppingRule Rule { get; private set; } = NgramEarlyStoppingRule.Default;

    public void Configure(NgramEarlyStoppingSettings settings)
    {
        var rule = new NgramEarlyStoppingRule(settings.Delta, settings.Threshold, settings.Patience);
        if (rule.Patience < 1 || rule.Delta < 0)
            throw new ArgumentException("Patience must be at least 1 and Delta not negative");
        Rule = rule;
    }

    public Task<TrainingDecision> DecideAsync(RunHistory history, CancellationToken cancellationToken)
    {
        var excess = history.Epochs
            .Where(e => e.Metrics.ContainsKey(TrainMetric) && e.Metrics.ContainsKey(HeldOutMetric))
            .Select(e => (e.Epoch, e.Metrics[TrainMetric] - e.Metrics[HeldOutMetric]))
            .ToList();
        var reason = Rule.Evaluate(excess);
        return Task.FromResult(reason is null ? TrainingDecision.Continue : new TrainingDecision.Stop(reason));
    }
}
