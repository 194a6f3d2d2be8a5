using Pipeline.Node.Hosting;
using Pipeline.Contracts.Runs;

namespace Pipeline.Node.FineTuning;

/// <summary>Configuration section "FineTune": how this node's fine-tuning worker runs.</summary>
public sealed class FineTuneOptions : ICheckedSettings
{
    public const string Section = "FineTune";

    /// <summary>
    /// auto (CUDA when present), cpu, cuda or cuda:N for the fine-tuning worker; unset, it is Torch:Device. CUDA builds
    /// of libtorch are not served here: only the CPU path is tested.
    /// </summary>
    public string? Device { get; set; }

    /// <summary>Intra-op threads for TorchSharp; 0 = one per core.</summary>
    public int Threads { get; set; }

    /// <summary>How long to wait for the training policies' verdict on an epoch before going on without it.</summary>
    public double VerdictTimeoutSeconds { get; set; } = 300;

    /// <summary>Records in each memorisation scoring sample (training side and held-out side); fewer when the data is smaller.</summary>
    public int ScoringSampleSize { get; set; } = 64;

    /// <summary>n-gram regulariser: window length n and gain threshold τ (nats), see the README's method notes.</summary>
    public int RegulariserN { get; set; } = 4;
    public double RegulariserTau { get; set; } = 1.0;

    /// <summary>Goldfish loss: drop 1 in k target tokens, chosen by a hash of the h tokens before each.</summary>
    public int GoldfishK { get; set; } = 4;
    public int GoldfishH { get; set; } = 13;

    public RegulariserSettings RegulariserSettings => new(RegulariserN, RegulariserTau, GoldfishK, GoldfishH);

    /// <summary>
    /// Free bytes required on the runs folder's file system before an epoch is trained and before its checkpoint is
    /// written; below it the run stops ("checkpoint storage full: ...") and resumes when StartFineTune is delivered again.
    /// Unset: twice the last checkpoint's size plus 64 MiB. 0 disables the guard (a full disk still stops the run cleanly).
    /// </summary>
    public long? MinFreeDiskBytes { get; set; }

    /// <summary>
    /// On shutdown, how long the epoch in progress may take to finish, be checkpointed and announced before it is cut short
    /// (then trained again on resume). The host's whole shutdown has 4.5 minutes, of which the bus may take 2.
    /// </summary>
    public double StopGraceSeconds { get; set; } = 120;

    /// <summary>Share of the records held out for validation.</summary>
    public double ValidationFraction { get; set; } = 0.1;

    public IEnumerable<(string Key, string Reason)> Problems()
    {
        if (Device is not null && !Torch.DeviceNames.IsValid(Device)) yield return (nameof(Device), $"'{Device}' is not auto, cpu, cuda or cuda:N");
        if (Threads < 0) yield return (nameof(Threads), "must not be negative (0: one per core)");
        if (!(VerdictTimeoutSeconds > 0)) yield return (nameof(VerdictTimeoutSeconds), "must be a positive number of seconds");
        if (ScoringSampleSize < 1) yield return (nameof(ScoringSampleSize), "must be at least 1");
        if (RegulariserN < 1) yield return (nameof(RegulariserN), "must be at least 1");
        if (!(RegulariserTau >= 0) || double.IsInfinity(RegulariserTau)) yield return (nameof(RegulariserTau), "must be a finite number of at least 0");
        if (GoldfishK < 2) yield return (nameof(GoldfishK), "must be at least 2");
        if (GoldfishH < 1) yield return (nameof(GoldfishH), "must be at least 1");
        if (MinFreeDiskBytes is < 0) yield return (nameof(MinFreeDiskBytes), "must not be negative");
        if (!(StopGraceSeconds >= 0)) yield return (nameof(StopGraceSeconds), "must be 0 or more seconds");
        if (!(ValidationFraction > 0 && ValidationFraction < 1)) yield return (nameof(ValidationFraction), "must lie between 0 and 1");
    }
}
