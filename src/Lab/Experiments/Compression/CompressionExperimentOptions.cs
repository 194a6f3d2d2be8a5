using Pipeline.Lab.Experiments.MemorisationDynamics;

namespace Pipeline.Lab.Experiments.Compression;

/// <summary>
/// `pipeline experiment compression` settings. The model compressed is the last epoch of a run that memorises: the
/// repetition setting of memorisation-dynamics (300 scorable fortunes, 10% repeated ×5), trained Epochs epochs, so
/// the verbatim rate before and after compression means something. Pruning rows fine-tune FineTuneEpochs epochs with
/// the run's records and settings; structured rows rank units by their summed magnitude.
/// </summary>
public sealed record CompressionExperimentOptions
{
    public int Epochs { get; init; } = 12;

    public int FineTuneEpochs { get; init; } = 1;

    public IReadOnlyList<double> Sparsities { get; init; } = [0.3, 0.5, 0.7, 0.9];

    public int Seed { get; init; } = 1;

    /// <summary>The structured sparsity at which the pruned architecture is also trained from random initialisation.</summary>
    public double FromScratchSparsity { get; init; } = 0.5;

    /// <summary>"last": the last epoch's checkpoint (it memorised); "best": the lowest validation loss (before memorisation).</summary>
    public string Compress { get; init; } = "last";

    public MemorisationDynamicsOptions Data { get; init; } = new();

    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException("--epochs must be at least 1");
        if (FineTuneEpochs < 0) throw new ArgumentException("--finetune-epochs must be ≥ 0");
        if (Compress is not ("last" or "best")) throw new ArgumentException("--compress must be last or best");
        if (Sparsities.Count == 0 || Sparsities.Any(s => !(s > 0 && s < 1))) throw new ArgumentException("--sparsities must lie in (0, 1)");
    }
}
