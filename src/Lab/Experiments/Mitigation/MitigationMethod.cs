namespace Pipeline.Lab.Experiments.Mitigation;

/// <summary>One way of training compared by the mitigation experiment: its regulariser, λ, and the bundled plugins installed.</summary>
public sealed record MitigationMethod(string Name, string Regulariser, double Lambda, bool TuneLambda, IReadOnlyList<string> Plugins)
{
    /// <summary>λ of the fixed-strength n-gram runs; the tuned runs start from the tuning rule's initial value.</summary>
    public const double FixedLambda = 1.0;

    public static IReadOnlyList<MitigationMethod> All =>
    [
        new("none", "none", 0, false, ["Memorisation"]),
        new("goldfish", "goldfish", 0, false, ["Memorisation"]),
        new("ngram", "ngram", FixedLambda, false, ["Memorisation"]),
        new("ngram_tuned", "ngram", Pipeline.Modelling.Memorisation.LambdaTuningRule.Default.Initial, true, ["Memorisation", "Regularisation"]),
        new("early_stopping", "none", 0, false, ["Memorisation", "EarlyStopping"]),
        new("ngram_early_stopping", "ngram", FixedLambda, false, ["Memorisation", "EarlyStopping"]),
    ];
}
