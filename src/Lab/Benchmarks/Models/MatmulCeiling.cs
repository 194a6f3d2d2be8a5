using System.Diagnostics;
using Pipeline.Modelling.Models;
using static TorchSharp.torch;

namespace Pipeline.Lab.Benchmarks.Models;

/// <summary>
/// The matmul throughput this machine reaches through TorchSharp: an n×n by n×n product (2n³ FLOPs) in the given
/// dtype, after two untimed warm-up products, best of <c>repeats</c> timed ones. It is the denominator of MFU: what
/// the same libtorch kernels achieve when nothing else is in the way.
/// </summary>
public static class MatmulCeiling
{
    public static double Measure(ComputePrecision precision, int size = 2048, int repeats = 5, long seed = 0)
    {
        var type = precision == ComputePrecision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator((ulong)seed);
        var a = randn([size, size], generator: generator).to(type);
        var b = randn([size, size], generator: generator).to(type);

        for (var i = 0; i < 2; i++) matmul(a, b).Dispose();

        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using var product = matmul(a, b);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * size * size * size / best;
    }
}
