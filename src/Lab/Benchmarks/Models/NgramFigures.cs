namespace Pipeline.Lab.Benchmarks.Models;

/// <summary>
/// N-gram memorisation scoring throughput on one thread: generated tokens scored per second (generation excluded).
/// MeanScore is the mean n-gram score of the synthetic pairs, to show the overlap they have.
/// </summary>
public sealed record NgramFigures(
    double TokensPerSecond,
    long Tokens,
    double Seconds,
    int Length,
    int Pairs,
    IReadOnlyList<int> NgramSizes,
    double MeanScore);
