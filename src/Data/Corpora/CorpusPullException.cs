namespace Pipeline.Data.Corpora;

/// <summary>A corpus could not be pulled (missing client, failed client command, hash mismatch); nothing was cached.</summary>
public sealed class CorpusPullException(string message, Exception? inner = null) : Exception(message, inner);
