namespace Pipeline.Lab.Experiments.Mitigation;

/// <summary>What `pipeline experiment mitigation` found, per method (mean ± sd over seeds).</summary>
public sealed record MitigationReport(IReadOnlyDictionary<string, MitigationFigures> Methods, MemorisationDynamics.MemorisationDynamicsOptions Settings,
    string Setting, double FixedLambda, string Machine, double Seconds, string WorkDirectory);

/// <summary>
/// One method's last epoch (for the stopping methods: the epoch they stopped at), its training time, and its change
/// against no mitigation with the same seed; each figure with its sample sd over seeds (null where none was measured).
/// </summary>
public sealed record MitigationFigures(
    double? VerbatimRate, double? VerbatimRateSd,
    double? NgramScore, double? NgramScoreSd,
    double? ValPpl, double? ValPplSd,
    double? Seconds, double? SecondsSd,
    double? Epochs, double? EpochsSd,
    double? VerbatimReduction, double? VerbatimReductionSd,
    double? PplChange, double? PplChangeSd,
    double? SecondsPerEpochRatio, double? SecondsPerEpochRatioSd,
    double? FinalLambda, double? FinalLambdaSd);
