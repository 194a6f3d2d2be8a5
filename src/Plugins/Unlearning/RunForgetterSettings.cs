namespace Pipeline.Plugins.Unlearning;

/// <summary>Plugins:Settings:run-forgetter (see the README's "GDPR forgetting in fine-tuning runs").</summary>
public sealed class RunForgetterSettings
{
    /// <summary>Where the forgetter looks for runs.</summary>
    public string RunsDirectory { get; set; } = "runs";
    public string Device { get; set; } = "cpu";

    /// <summary>TorchSharp threads (0: the default).</summary>
    public int Threads { get; set; }
    public int HeldOutRecords { get; set; } = 64;
    public int PrefixTokens { get; set; } = 16;
    public int SuffixTokens { get; set; } = 16;
    public int MiaMinimumRecords { get; set; } = 10;
    public double MiaMaximumAuc { get; set; } = 0.55;
    public double NgramTolerance { get; set; } = 0.1;
    public bool KeepSupersededCheckpoints { get; set; }
}
