namespace Pipeline.Lab.Benchmarks.Bus;

/// <summary>The bus benchmark's message: a sequence number and the publisher's Stopwatch timestamp (same process).</summary>
public sealed record BenchPing(Guid RunId, long Sequence, long SentTicks, DateTimeOffset Timestamp);
