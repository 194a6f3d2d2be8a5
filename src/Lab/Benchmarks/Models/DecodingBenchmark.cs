using System.Diagnostics;
using Pipeline.Modelling.Generation;
using Pipeline.Modelling.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Lab.Benchmarks.Models;

/// <summary>
/// Greedy decoding of the reference model (random weights, seeded): batch 32, 32-token random prefixes, 64 new
/// tokens, once with the KV cache and once recomputing the whole sequence each step. A short generation in each
/// mode runs first, untimed.
/// </summary>
public static class DecodingBenchmark
{
    public static DecodingFigures Run(DecodingBenchmarkOptions? options = null)
    {
        options ??= new DecodingBenchmarkOptions();
        torch.set_num_threads(options.Threads);
        torch.manual_seed(options.Seed);
        using var model = new GptNeoXModel(ReferenceModel.Config) { Precision = options.Precision };
        using var scope = NewDisposeScope();
        var prefix = randint(0, ReferenceModel.Config.VocabSize, [options.BatchSize, options.PrefixLength],
            ScalarType.Int64, generator: new Generator((ulong)options.Seed));

        GreedyDecoder.Generate(model, prefix, 4, useCache: true);
        GreedyDecoder.Generate(model, prefix, 4, useCache: false);

        var (cached, cachedSeconds) = Timed(() => GreedyDecoder.Generate(model, prefix, options.NewTokens, useCache: true));
        var (uncached, uncachedSeconds) = Timed(() => GreedyDecoder.Generate(model, prefix, options.NewTokens, useCache: false));

        double generated = (long)options.BatchSize * options.NewTokens;
        return new DecodingFigures(generated / cachedSeconds, generated / uncachedSeconds,
            uncachedSeconds / cachedSeconds, cachedSeconds, uncachedSeconds,
            cached.equal(uncached).all().item<bool>(), options.BatchSize, options.PrefixLength, options.NewTokens);
    }

    private static (Tensor Tokens, double Seconds) Timed(Func<Tensor> generate)
    {
        var clock = Stopwatch.StartNew();
        var tokens = generate();
        return (tokens, clock.Elapsed.TotalSeconds);
    }
}
