using System.Diagnostics;
using Pipeline.Modelling.Memorisation;

namespace Pipeline.Lab.Benchmarks.Models;

/// <summary>
/// Throughput of the n-gram memorisation score on one thread. Synthetic pairs stand in for a model's output and its
/// target: the target is random ids; the output copies the target's token at each position with probability
/// CopyProbability and is a random id otherwise, so some n-grams match and some do not, as with a half-memorised
/// record. One untimed pass warms up (JIT, caches); then whole passes are timed until MinimumSeconds have passed.
/// </summary>
public static class NgramBenchmark
{
    public static NgramFigures Run(NgramBenchmarkOptions? options = null)
    {
        options ??= new NgramBenchmarkOptions();
        if (options.Length < 1 || options.Pairs < 1 || options.VocabularySize < 1 || options.MinimumSeconds <= 0)
            throw new ArgumentException("Length, Pairs and VocabularySize must be at least 1 and MinimumSeconds positive");
        new MemorisationSettings { NgramSizes = options.NgramSizes }.Validate();

        var (generated, targets) = SyntheticPairs(options);
        var scorer = new NgramScorer();
        var passScore = Pass(scorer, generated, targets, options);

        long passes = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            Pass(scorer, generated, targets, options);
            passes++;
        } while (clock.Elapsed.TotalSeconds < options.MinimumSeconds);
        clock.Stop();

        var tokens = passes * options.Pairs * options.Length;
        var seconds = clock.Elapsed.TotalSeconds;
        return new NgramFigures(tokens / seconds, tokens, seconds, options.Length, options.Pairs,
            options.NgramSizes, passScore / options.Pairs);
    }

    private static double Pass(NgramScorer scorer, int[][] generated, int[][] targets, NgramBenchmarkOptions options)
    {
        double sum = 0; // used by the caller, so the scoring cannot be optimised away
        for (var i = 0; i < generated.Length; i++)
            sum += scorer.Score(generated[i], targets[i], options.NgramSizes);
        return sum;
    }

    private static (int[][] Generated, int[][] Targets) SyntheticPairs(NgramBenchmarkOptions options)
    {
        var random = new Random(options.Seed);
        var generated = new int[options.Pairs][];
        var targets = new int[options.Pairs][];
        for (var p = 0; p < options.Pairs; p++)
        {
            targets[p] = new int[options.Length];
            generated[p] = new int[options.Length];
            for (var t = 0; t < options.Length; t++)
            {
                targets[p][t] = random.Next(options.VocabularySize);
                generated[p][t] = random.NextDouble() < options.CopyProbability ? targets[p][t] : random.Next(options.VocabularySize);
            }
        }
        return (generated, targets);
    }
}
