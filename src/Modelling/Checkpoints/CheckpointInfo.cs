namespace Pipeline.Modelling.Checkpoints;

/// <summary>Where a saved checkpoint lies and how to verify it: the SHA-256 (lower-case hex) and size of its weights file.</summary>
public sealed record CheckpointInfo(string Folder, string WeightsPath, string Sha256, long Bytes);
