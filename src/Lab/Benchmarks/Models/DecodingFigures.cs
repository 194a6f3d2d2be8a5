namespace Pipeline.Lab.Benchmarks.Models;

/// <summary>Greedy decoding throughput, generated tokens (batch × new tokens) per second, with and without the KV cache.</summary>
public sealed record DecodingFigures(
    double CachedTokensPerSecond,
    double UncachedTokensPerSecond,
    double Speedup,
    double CachedSeconds,
    double UncachedSeconds,
    bool IdenticalTokens,
    int BatchSize,
    int PrefixLength,
    int NewTokens);
