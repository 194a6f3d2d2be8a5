using System.Diagnostics;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Training;
using TorchSharp;

namespace Pipeline.Lab.Benchmarks.Models;

/// <summary>
/// Training throughput of <see cref="ReferenceModel"/> (batch 16 × context 128, AdamW, 2 threads) through the real
/// <see cref="LanguageModelTrainer"/>, on random tokens. Tokens per second counts every input token of a step
/// (16 × 128 = 2048); warm-up steps run first and are not timed.
/// </summary>
public static class TrainingBenchmark
{
    public static IReadOnlyList<TrainingFigures> Run(TrainingBenchmarkOptions? options = null)
    {
        options ??= new TrainingBenchmarkOptions();
        torch.set_num_threads(options.Threads);
        return options.Precisions.Select(p => RunOne(p, options)).ToList();
    }

    /// <summary>
    /// Training FLOPs per token: 6·N + 12·L·d·T (the PaLM paper's estimate, appendix B). N counts the parameters that
    /// take part in matmuls, i.e. all but the input embedding (a lookup); 6·N is 2·N for the forward pass and 4·N for the
    /// backward. 12·L·d·T is attention's QKᵀ and AV products (2·T·d each per layer, forward; ×3 with backward), counted
    /// over the full T×T square although the causal half is masked.
    /// </summary>
    public static double FlopsPerToken(GptNeoXConfig config, int contextLength)
    {
        var matmulParameters = MatmulParameters(config);
        return 6.0 * matmulParameters + 12.0 * config.NumHiddenLayers * config.HiddenSize * contextLength;
    }

    private static long MatmulParameters(GptNeoXConfig config)
    {
        torch.manual_seed(0);
        using var model = new GptNeoXModel(config);
        return model.parameters().Sum(p => p.numel()) - (long)config.VocabSize * config.HiddenSize;
    }

    private static TrainingFigures RunOne(ComputePrecision precision, TrainingBenchmarkOptions options)
    {
        var config = ReferenceModel.Config;
        const int batch = ReferenceModel.BatchSize, context = ReferenceModel.ContextLength;
        var steps = options.WarmupSteps + options.TimedSteps;

        // Each random sequence fills exactly one row, so every step is a full 16 × 128 batch.
        var random = new Random(options.Seed);
        var sequences = Enumerable.Range(0, steps * batch)
            .Select(_ => Enumerable.Range(0, context).Select(_ => random.Next(config.VocabSize)).ToArray())
            .ToList();

        torch.manual_seed(options.Seed);
        using var model = new GptNeoXModel(config);
        var trainingOptions = new TrainingOptions
        {
            Epochs = 1, BatchSize = batch, ContextLength = context, LearningRate = 1e-3, Seed = options.Seed,
            Precision = precision, Threads = options.Threads,
        };
        using var trainer = new LanguageModelTrainer(model, sequences, trainingOptions);
        var clock = new StepClock(options.WarmupSteps);
        var epoch = trainer.TrainEpoch(1, clock);

        var timedSeconds = clock.TimedSeconds;
        var tokensPerStep = (long)batch * context;
        var tokensPerSecond = options.TimedSteps * tokensPerStep / timedSeconds;
        var flopsPerToken = FlopsPerToken(config, context);
        var achieved = tokensPerSecond * flopsPerToken;
        var ceiling = MatmulCeiling.Measure(precision, options.CeilingMatmulSize, seed: options.Seed);

        return new TrainingFigures(precision, tokensPerSecond, achieved, ceiling, achieved / ceiling,
            timedSeconds / options.TimedSteps, options.TimedSteps, tokensPerStep, flopsPerToken,
            model.parameters().Sum(p => p.numel()), epoch.StepLosses[0], epoch.StepLosses[^1]);
    }

    /// <summary>Times the steps after the warm-up: the clock starts when the last warm-up step reports.</summary>
    private sealed class StepClock(int warmupSteps) : IProgress<TrainingProgress>
    {
        private readonly Stopwatch _clock = new();

        public double TimedSeconds => _clock.Elapsed.TotalSeconds;

        public void Report(TrainingProgress value)
        {
            if (value.StepInEpoch == warmupSteps) _clock.Restart();
            else if (value.StepInEpoch == value.StepsInEpoch) _clock.Stop();
        }
    }
}
