using Pipeline.Modelling.Models;

namespace Pipeline.Lab.Benchmarks.Models;

public sealed record DecodingBenchmarkOptions
{
    public int BatchSize { get; init; } = 32;
    public int PrefixLength { get; init; } = 32;
    public int NewTokens { get; init; } = 64;
    public int Threads { get; init; } = ReferenceModel.Threads;
    public int Seed { get; init; }
    public ComputePrecision Precision { get; init; } = ComputePrecision.Float32;
}
