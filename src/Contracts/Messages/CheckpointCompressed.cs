namespace Pipeline.Contracts.Messages;

/// <summary>A compressor produced a smaller checkpoint from Source. Ratio = source bytes / compressed bytes.</summary>
public sealed record CheckpointCompressed(
    Guid RunId,
    CheckpointReference Source,
    CheckpointReference Compressed,
    string Method,
    string Compressor,
    long Bytes,
    double Ratio,
    IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset Timestamp);
