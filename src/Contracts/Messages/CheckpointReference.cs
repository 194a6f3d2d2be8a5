namespace Pipeline.Contracts.Messages;

/// <summary>A checkpoint travels by reference: where it lies and the SHA-256 of its weights file, never its bytes.</summary>
public sealed record CheckpointReference(string Path, string Sha256);
