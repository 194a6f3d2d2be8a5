using System.Text.Json.Serialization;

namespace Pipeline.Lab.Experiments.MemorisationDynamics;

/// <summary>
/// What `pipeline experiment memorisation-dynamics` found: per epoch and the findings for the plain setting, the same for
/// the repetition setting, and the stopping rule replayed. Settings and seconds are there when this run trained (not
/// when it analysed an earlier experiment's runs with --from).
/// </summary>
public sealed record MemorisationDynamicsReport(
    IReadOnlyList<DynamicsEpochFigures> Epochs,
    DynamicsFindings Findings,
    DynamicsSettingReport Repetition,
    DynamicsStoppingRule StoppingRule,
    string Machine,
    string WorkDirectory)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MemorisationDynamicsOptions? Settings { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Seconds { get; init; }
}

/// <summary>One setting's epochs and findings.</summary>
public sealed record DynamicsSettingReport(IReadOnlyList<DynamicsEpochFigures> Epochs, DynamicsFindings Findings);

/// <summary>One epoch over the seeds (mean and sample sd; null where no seed measured it).</summary>
public sealed record DynamicsEpochFigures(
    int Epoch,
    double? ValPpl, double? ValPplSd,
    double? TrainLoss, double? TrainLossSd,
    double? VerbatimRate, double? VerbatimRateSd,
    double? VerbatimRateHeldout, double? VerbatimRateHeldoutSd,
    double? NgramScore, double? NgramScoreSd,
    double? NgramScoreHeldout, double? NgramScoreHeldoutSd,
    double? TokenMatch, double? TokenMatchSd,
    double? TokenMatchHeldout, double? TokenMatchHeldoutSd);

/// <summary>The seed's three findings over the seeds: (a) rise vs best perplexity, (b) the n-gram lead, (c) the stopping strategies.</summary>
public sealed record DynamicsFindings(
    double? MemorisationRiseEpoch, double? MemorisationRiseEpochSd,
    double? BestValPplEpoch, double? BestValPplEpochSd,
    double? NgramRiseEpoch, double? NgramRiseEpochSd,
    double? NgramLeadEpochs, double? NgramLeadEpochsSd,
    double? PerRecordNgramLeadEpochs, double? PerRecordNgramLeadEpochsSd,
    double? RecordsMemorised, double? RecordsMemorisedSd,
    double? ScoringShareOfTraining, double? ScoringShareOfTrainingSd,
    int RunsWhereMemorisationRose,
    int RunsWhereMemorisationRoseBeforeBestValPpl,
    DynamicsStopping Stopping,
    IReadOnlyList<string?> NgramRuleReasons)
{
    /// <summary>Verbatim rate of the repeated records when memorisation rises (repetition setting only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? RepeatedVerbatimAtRise { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? RepeatedVerbatimAtRiseSd { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? UniqueVerbatimAtRise { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? UniqueVerbatimAtRiseSd { get; init; }
}

/// <summary>What each stopping strategy keeps.</summary>
public sealed record DynamicsStopping(NgramRuleStop NgramRule, StopFigures BestValLoss, StopFigures LastEpoch);

/// <summary>The checkpoint a strategy keeps, over the seeds: its epoch, verbatim rate and validation perplexity.</summary>
public sealed record StopFigures(double? Epoch, double? EpochSd, double? VerbatimRate, double? VerbatimRateSd, double? ValPpl, double? ValPplSd);

/// <summary>The n-gram rule's keep, and when it fired (in how many runs, at which epoch, at what verbatim rate).</summary>
public sealed record NgramRuleStop(
    double? Epoch, double? EpochSd, double? VerbatimRate, double? VerbatimRateSd, double? ValPpl, double? ValPplSd,
    double? FiredAtEpoch, double? FiredAtEpochSd, double? VerbatimRateWhenFired, double? VerbatimRateWhenFiredSd, int RunsFired);

/// <summary>The n-gram early-stopping rule replayed on the runs.</summary>
public sealed record DynamicsStoppingRule(double Delta, double Threshold, int Patience);
