using Pipeline.Modelling.Models;

namespace Pipeline.Lab.Benchmarks.Models;

public sealed record TrainingBenchmarkOptions
{
    /// <summary>Steps run before the clock starts (allocator, oneDNN kernel selection, first-touch of pages).</summary>
    public int WarmupSteps { get; init; } = 3;
    public int TimedSteps { get; init; } = 20;
    public int Threads { get; init; } = ReferenceModel.Threads;
    public int Seed { get; init; }
    public IReadOnlyList<ComputePrecision> Precisions { get; init; } = [ComputePrecision.Float32, ComputePrecision.BFloat16];
    /// <summary>Side of the square matmul that measures the ceiling.</summary>
    public int CeilingMatmulSize { get; init; } = 2048;
}
