namespace Pipeline.Lab.Experiments.Compression;

/// <summary>What `pipeline experiment compression` found: the model compressed, one row per method, and the controls.</summary>
public sealed record CompressionReport(CompressionBaseline Baseline, IReadOnlyList<CompressionRow> Rows, CompressionExperimentOptions Settings,
    string Machine, double Seconds, string WorkDirectory);

/// <summary>The fine-tuned model every method compresses.</summary>
public sealed record CompressionBaseline(long Bytes, double ValPpl, double? VerbatimRate, string Checkpoint, int Epochs, int CompressedEpoch);

/// <summary>One method at one sparsity: bytes on disk, ratio, validation perplexity and its change, verbatim rate, seconds.</summary>
public sealed record CompressionRow(string Method, double Sparsity, long Bytes, double Ratio, double ValPpl, double PplChange, double? VerbatimRate,
    double Seconds);
