using System.Globalization;
using Pipeline.Contracts.Plugins;
using Pipeline.Modelling.Memorisation;

namespace Pipeline.Plugins.Regularisation;

/// <summary>
/// Training policy: tunes the n-gram regulariser's λ between epochs (LambdaTuningRule) for runs that asked for it
/// (`finetune --tune-lambda`: the epoch's metrics carry tune_lambda = 1 and the λ in force). Settings
/// (Plugins:Settings:lambda-tuning): Initial, Factor, Tolerance, Minimum, Maximum.
/// </summary>
public sealed class LambdaTuningPolicy : ITrainingPolicy, IConfigurablePlugin
{
    public string Name => "lambda-tuning";

    public LambdaTuningRule Rule { get; private set; } = LambdaTuningRule.Default;

    public void Configure(IReadOnlyDictionary<string, string> settings)
    {
        var rule = LambdaTuningRule.Default;
        foreach (var (key, value) in settings)
        {
            var number = double.Parse(value, CultureInfo.InvariantCulture);
            rule = key.ToLowerInvariant() switch
            {
                "initial" => rule with { Initial = number },
                "factor" => rule with { Factor = number },
                "tolerance" => rule with { Tolerance = number },
                "minimum" => rule with { Minimum = number },
                "maximum" => rule with { Maximum = number },
                _ => throw new ArgumentException($"unknown setting '{key}' (known: Initial, Factor, Tolerance, Minimum, Maximum)"),
            };
        }
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
