using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Plugins;

/// <summary>A compressed checkpoint, how it was made, and its metrics (val_ppl, memorisation deltas, ...).</summary>
public sealed record CompressionOutcome(
    CheckpointReference Compressed,
    string Method,
    long Bytes,
    long SourceBytes,
    IReadOnlyDictionary<string, double> Metrics);
