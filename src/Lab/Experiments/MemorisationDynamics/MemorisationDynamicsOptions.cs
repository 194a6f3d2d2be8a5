namespace Pipeline.Lab.Experiments.MemorisationDynamics;

/// <summary>
/// The experiment's settings. Defaults follow the PyTorch reference (300 fortunes, P = S = 16, AdamW lr 1e-3,
/// batch 16), where verbatim memorisation appeared around epoch 7 and was near-total by 18: enough epochs for every
/// finding to be measurable. Two choices make the set memorisation-prone and fully scorable: records are fortunes of
/// P + S to ContextLength tokens (every record has a prefix and a target, and fits one packed row), and rows are
/// ContextLength = 64 tokens, so an epoch takes about as many optimizer steps as the reference's one-record-per-row
/// batches (with 128-token rows it took a third as many, and nothing was memorised in 20 epochs).
/// --quick keeps 3 seeds and both settings but fewer epochs.
/// </summary>
public sealed record MemorisationDynamicsOptions
{
    public int Seeds { get; init; } = 3;
    public int Epochs { get; init; } = 20;
    public int TrainRecords { get; init; } = 300;
    public int ValidationRecords { get; init; } = 60;
    public int PrefixTokens { get; init; } = 16;
    public int SuffixTokens { get; init; } = 16;
    public double LearningRate { get; init; } = 1e-3;
    public int BatchSize { get; init; } = 16;
    public int ContextLength { get; init; } = 64;
    public int ScoringSampleSize { get; init; } = 64;

    /// <summary>Repetition setting: this share of the training records occurs Copies times (near-duplicates: same text, new id).</summary>
    public double RepeatedShare { get; init; } = 0.1;
    public int Copies { get; init; } = 5;
    public string Corpus { get; init; } = "fortunes-all";

    /// <summary>The host settings that make every run score memorisation the same way (P, S, sample size).</summary>
    public Dictionary<string, string?> ScoringSettings() => new()
    {
        ["Plugins:Settings:memorisation:PrefixTokens"] = PrefixTokens.ToString(),
        ["Plugins:Settings:memorisation:SuffixTokens"] = SuffixTokens.ToString(),
        ["FineTune:ScoringSampleSize"] = ScoringSampleSize.ToString(),
    };

    public static MemorisationDynamicsOptions Quick => new() { Epochs = 16 };
}
