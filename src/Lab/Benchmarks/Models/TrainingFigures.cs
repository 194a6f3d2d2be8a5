using Pipeline.Modelling.Models;

namespace Pipeline.Lab.Benchmarks.Models;

/// <summary>Training throughput of the reference configuration in one precision (see <see cref="TrainingBenchmark"/>).</summary>
public sealed record TrainingFigures(
    ComputePrecision Precision,
    double TokensPerSecond,
    double AchievedFlopsPerSecond,
    double MatmulCeilingFlopsPerSecond,
    double Mfu,
    double SecondsPerStep,
    int TimedSteps,
    long TokensPerStep,
    double FlopsPerToken,
    long Parameters,
    double FirstLoss,
    double LastLoss);
