using Pipeline.Lab.Benchmarks.Models;

namespace Pipeline.Host.Tests.Lab;

/// <summary>The benchmark's bookkeeping and its synthetic overlap; its speed is printed by `pipeline bench ngram`, never asserted.</summary>
public sealed class NgramBenchmarkTests
{
    [Fact]
    public void The_benchmark_counts_whole_passes_and_its_pairs_overlap_as_designed()
    {
        var result = NgramBenchmark.Run(new NgramBenchmarkOptions { MinimumSeconds = 0.01 });

        Assert.Equal(0, result.Tokens % (4096 * 32));
        Assert.True(result.Tokens > 0);
        Assert.Equal(result.Tokens / result.Seconds, result.TokensPerSecond);
        // Each output token copies the target's with probability 1/2, so an output n-gram is the target's in place
        // with probability 2^-n (a chance match elsewhere in a 4,096-id vocabulary is negligible):
        // (1/4 + 1/8 + 1/16) / 3 = 0.1458. Over 4,096 pairs the sample mean is within ±0.01 of it.
        Assert.InRange(result.MeanScore, 0.1358, 0.1558);
    }
}
