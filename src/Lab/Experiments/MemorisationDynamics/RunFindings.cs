namespace Pipeline.Lab.Experiments.MemorisationDynamics;

/// <summary>What one run of the memorisation-dynamics experiment shows (epochs are 1-based; null = never happened).</summary>
public sealed record RunFindings(
    int BestValPplEpoch,
    int? MemorisationRiseEpoch,
    int? NgramRiseEpoch,
    double? NgramLeadEpochs,
    double? PerRecordNgramLeadEpochs,
    int RecordsMemorised,
    KeptCheckpoint NgramRule,
    int? NgramRuleFiredAt,
    double? VerbatimRateWhenFired,
    KeptCheckpoint BestValLoss,
    KeptCheckpoint LastEpoch,
    string? NgramRuleReason,
    double ScoringShareOfTraining,
    double? RepeatedVerbatimAtRise,
    double? UniqueVerbatimAtRise);

/// <summary>The checkpoint a stopping strategy keeps: its epoch, verbatim rate (training sample) and validation perplexity.</summary>
public sealed record KeptCheckpoint(int Epoch, double VerbatimRate, double ValPpl);
