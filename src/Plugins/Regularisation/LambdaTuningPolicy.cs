using Pipeline.Contracts.Plugins;
using Pipeline.Modelling.Memorisation;

namespace Pipeline.Plugins.Regularisation;

/// <summary>
/// Training policy: tunes the n-gram regulariser's λ between epochs (LambdaTuningRule) for runs that asked for it
/// (`finetune --tune-lambda`: the epoch's metrics carry tune_lambda = 1 and the λ in force). Settings
/// (Plugins:Settings:lambda-tuning): Initial, Factor, Tolerance, Minimum, Maximum.
/// </summary>
public sealed class LambdaTuningPolicy : ITrainingPolicy, IConfigurablePlugin<LambdaTuningSettings>
{
    public string Name => "lambda-tuning";

    public LambdaTuningRule Rule { get; private set; } = LambdaTuningRule.Default;

    public void Configure(LambdaTuningSettings settings)
    {
        var rule = new LambdaTuningRule(settings.Initial, settings.Factor, settings.Tolerance, settings.Minimum, settings.Maximum);
        if (rule.Factor <= 1 || rule.Minimum < 0 || rule.Maximum < rule.Minimum)
            throw new ArgumentException("Factor must exceed 1 and 0 ≤ Minimum ≤ Maximum");
        Rule = rule;
    }

    public Task<TrainingDecision> DecideAsync(RunHistory history, CancellationToken cancellationToken)
    {
        var latest = history.Epochs[^1].Metrics;
        if (latest.GetValueOrDefault("tune_lambda") != 1)
            return Task.FromResult(TrainingDecision.Continue);
        var scored = history.Epochs
            .Where(e => e.Metrics.ContainsKey("ngram_score") && e.Metrics.ContainsKey("ngram_score_heldout"))
            .Select(e => e.Metrics["ngram_score"] - e.Metrics["ngram_score_heldout"])
            .ToList();
        if (scored.Count < 2)
            return Task.FromResult(TrainingDecision.Continue);
        var lambda = latest.GetValueOrDefault("lambda", history.CurrentLambda);
        var next = Rule.Next(lambda, scored[^2], scored[^1]);
        return Task.FromResult(next is { } change ? new TrainingDecision.Regularise(change.Lambda, change.Reason) : TrainingDecision.Continue);
    }
}
