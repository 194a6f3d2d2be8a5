using System.Diagnostics;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Pipeline.Contracts.Runs;

namespace Pipeline.Modelling.Training;

/// <summary>
/// Fine-tunes a GPT-NeoX model on tokenised sequences: AdamW (decay on matrices and embeddings only), linear
/// warm-up then cosine decay per step, global gradient-norm clipping, cross-entropy over non-padding targets plus
/// λ·(optional extra term). Deterministic on the CPU: the only randomness is the epoch's shuffle, drawn from
/// System.Random(seed + epoch), and libtorch's CPU kernels give the same results for the same shapes and threads.
/// </summary>
public sealed class LanguageModelTrainer : IDisposable
{
    private readonly IReadOnlyList<int[]> _sequences;
    private readonly ILossTerm? _lossTerm;
    private readonly ITargetFilter? _targetFilter;
    private readonly AdamW _optimizer;
    private readonly List<Parameter> _parameters;
    private readonly List<string> _parameterNames; // in the optimizer's state order
    private readonly WarmupCosineSchedule _schedule;

    public LanguageModelTrainer(GptNeoXModel model, IReadOnlyList<int[]> trainSequences, TrainingOptions options,
        ILossTerm? lossTerm = null, ITargetFilter? targetFilter = null)
    {
        options.Validate();
        Model = model;
        Options = options;
        _sequences = trainSequences;
        _lossTerm = lossTerm;
        _targetFilter = targetFilter;

        if (options.Threads > 0) torch.set_num_threads(options.Threads);
        torch.manual_seed(options.Seed);
        model.Precision = options.Precision;

        // Biases and layer-norm gains are not decayed: shrinking them towards 0 only harms (as in Hugging Face's Trainer).
        var named = model.named_parameters().ToList();
        var decayed = named.Where(p => p.parameter.dim() >= 2).ToList();
        var notDecayed = named.Where(p => p.parameter.dim() < 2).ToList();
        _parameterNames = decayed.Concat(notDecayed).Select(p => p.name).ToList();
        _parameters = named.Select(p => p.parameter).ToList();
        _optimizer = optim.AdamW(
        [
            new AdamW.ParamGroup(decayed.Select(p => p.parameter), lr: options.LearningRate, weight_decay: options.WeightDecay),
            new AdamW.ParamGroup(notDecayed.Select(p => p.parameter), lr: options.LearningRate, weight_decay: 0),
        ], lr: options.LearningRate);

        TotalSteps = Enumerable.Range(1, options.Epochs).Sum(e => (long)StepsIn(Rows(e)));
        var warmup = options.WarmupSteps ?? (long)Math.Round(options.WarmupFraction * TotalSteps);
        _schedule = new WarmupCosineSchedule(options.LearningRate, warmup, TotalSteps, options.MinLearningRateFraction);
    }

    public GptNeoXModel Model { get; }

    public TrainingOptions Options { get; }

    /// <summary>Optimizer steps taken so far (the scheduler's position).</summary>
    public long Step { get; private set; }

    /// <summary>Optimizer steps of the whole run (all epochs), which the schedule spans.</summary>
    public long TotalSteps { get; }

    public int EpochsCompleted { get; private set; }

    /// <summary>The current strength of the extra loss term.</summary>
    public double Lambda { get; private set; }

    public WarmupCosineSchedule Schedule => _schedule;

    /// <summary>Called after every optimizer step, before the next batch (pruning re-applies its mask here, so pruned weights stay zero).</summary>
    public Action? AfterOptimizerStep { get; set; }

    /// <summary>Sets λ; it applies from the next optimizer step.</summary>
    public void SetLambda(double lambda)
    {
        if (!double.IsFinite(lambda) || lambda < 0) throw new ArgumentOutOfRangeException(nameof(lambda), "λ must be finite and ≥ 0");
        Lambda = lambda;
    }

    public static double Perplexity(double meanLoss) => Math.Exp(meanLoss);

    /// <summary>
    /// One pass over the training sequences, shuffled by Random(seed + epoch) and packed by <see cref="SequencePacker"/>
    /// with the target filter, if any: dropped targets count neither in the loss nor in the epoch's token count.
    /// Cancellation is checked between steps; the state after the last finished step stays consistent.
    /// </summary>
    public EpochResult TrainEpoch(int epoch, IProgress<TrainingProgress>? progress = null, CancellationToken ct = default) =>
        TrainEpoch(epoch, from: null, progress, pause: CancellationToken.None, ct).Result!;

    /// <summary>
    /// The epoch from <paramref name="from"/> (a part saved earlier, with this trainer's state loaded from the same
    /// save) or from its start. When <paramref name="pause"/> is cancelled the pass stops at the next step boundary and
    /// returns where it stands (EpochPass.Part) instead of throwing, so the caller can save it and go on later.
    /// </summary>
    public EpochPass TrainEpoch(int epoch, EpochPart? from, IProgress<TrainingProgress>? progress, CancellationToken pause, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epoch);
        if (from is not null && from.Epoch != epoch)
            throw new ArgumentException($"a part of epoch {from.Epoch} cannot continue epoch {epoch}", nameof(from));
        var rows = Rows(epoch);
        var steps = StepsIn(rows);
        var device = Model.Device;
        Model.train();

        var stepLosses = new List<double>(from?.StepLosses ?? []);
        double lossSum = from?.LossSum ?? 0, termSum = from?.TermSum ?? 0, learningRate = from?.LearningRate ?? 0;
        long tokens = from?.Tokens ?? 0;
        var clock = Stopwatch.StartNew();
        for (var s = from?.StepsDone ?? 0; s < steps; s++)
        {
            if (pause.IsCancellationRequested)
                return new EpochPass(null, new EpochPart(epoch, s, lossSum, termSum, tokens, stepLosses, (from?.Seconds ?? 0) + clock.Elapsed.TotalSeconds, learningRate));
            ct.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (inputs, targets, mask, rowCount) = Batch(rows, s, device);
            var batchTokens = rows.TargetTokens(s * Options.BatchSize, rowCount);

            learningRate = _schedule.At(Step);
            foreach (var group in _optimizer.ParamGroups) group.LearningRate = learningRate;
            _optimizer.zero_grad();

            var logits = Model.forward(inputs);
            var crossEntropy = MaskedCrossEntropy(logits, targets, mask);
            var objective = crossEntropy;
            double termValue = 0;
            if (_lossTerm is not null && Lambda != 0)
            {
                var term = _lossTerm.Compute(new LossContext(logits, targets, mask, inputs, Lambda, epoch, Step));
                if (term is not null)
                {
                    objective = crossEntropy + Lambda * term;
                    termValue = term.item<float>();
                }
            }
            objective.backward();
            var gradientNorm = Options.ClipNorm > 0
                ? nn.utils.clip_grad_norm_(_parameters, Options.ClipNorm)
                : double.NaN;
            _optimizer.step();
            AfterOptimizerStep?.Invoke();
            Step++;

            var loss = (double)crossEntropy.item<float>();
            stepLosses.Add(loss);
            lossSum += loss * batchTokens;
            termSum += termValue * batchTokens;
            tokens += batchTokens;
            progress?.Report(new TrainingProgress(epoch, Step, s + 1, steps, loss, learningRate, gradientNorm, tokens));
        }
        clock.Stop();
        EpochsCompleted = Math.Max(EpochsCompleted, epoch);

        return new EpochPass(new EpochResult(epoch, tokens > 0 ? lossSum / tokens : double.NaN, tokens > 0 ? termSum / tokens : 0,
            tokens, (from?.Seconds ?? 0) + clock.Elapsed.TotalSeconds, steps, learningRate, stepLosses), null);
    }

    /// <summary>
    /// Token-weighted mean cross-entropy on <paramref name="sequences"/> (packed in the given order); perplexity is its exp.
    /// Never filtered: validation loss covers every target whatever the training filter drops.
    /// </summary>
    public double Evaluate(IReadOnlyList<int[]> sequences)
    {
        var rows = SequencePacker.Pack(sequences, Options.ContextLength);
        var wasTraining = Model.training;
        Model.eval();
        try
        {
            using var noGrad = no_grad();
            double lossSum = 0;
            long tokens = 0;
            for (var s = 0; s < StepsIn(rows); s++)
            {
                using var scope = NewDisposeScope();
                var (inputs, targets, mask, rowCount) = Batch(rows, s, Model.Device);
                var batchTokens = rows.TargetTokens(s * Options.BatchSize, rowCount);
                if (batchTokens == 0) continue;
                lossSum += MaskedCrossEntropy(Model.forward(inputs), targets, mask).item<float>() * (double)batchTokens;
                tokens += batchTokens;
            }
            return tokens > 0 ? lossSum / tokens : double.NaN;
        }
        finally
        {
            Model.train(wasTraining);
        }
    }

    /// <summary>
    /// Writes everything a resume needs into <paramref name="folder"/>: the model checkpoint (config.json,
    /// model.safetensors), the optimizer state and trainer.json (last).
    /// </summary>
    public CheckpointInfo SaveState(string folder, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var info = CheckpointStore.Save(Model, folder, metadata);
        TrainingStateStore.Save(folder, _optimizer, _parameterNames,
            new TrainerState(Step, EpochsCompleted, Options.Seed, Lambda, TotalSteps));
        return info;
    }

    /// <summary>Restores the model weights, optimizer state, step, epochs completed and λ saved by <see cref="SaveState"/>.</summary>
    public void LoadState(string folder)
    {
        var config = CheckpointStore.LoadConfig(folder);
        if (config != Model.Config)
            throw new CheckpointException($"{CheckpointStore.ConfigFileName}: the saved model's config differs from this trainer's model");
        CheckpointStore.LoadWeightsInto(Model, folder);
        var state = TrainingStateStore.Load(folder, _optimizer, _parameterNames);
        if (state.Seed != Options.Seed || state.TotalSteps != TotalSteps)
            throw new CheckpointException(
                $"{TrainingStateStore.TrainerFileName}: saved for seed {state.Seed} and {state.TotalSteps} steps, this trainer has seed {Options.Seed} and {TotalSteps} steps");
        Step = state.Step;
        EpochsCompleted = state.EpochsCompleted;
        Lambda = state.Lambda;
    }

    private PackedRows Rows(int epoch)
    {
        // Fisher–Yates with a per-epoch seed: the order depends only on (seed, epoch), so a resumed run sees the same data.
        var order = Enumerable.Range(0, _sequences.Count).ToArray();
        new Random(Options.Seed + epoch).Shuffle(order);
        return SequencePacker.Pack(order.Select(i => _sequences[i]), Options.ContextLength, _targetFilter);
    }

    private int StepsIn(PackedRows rows) => (rows.Rows + Options.BatchSize - 1) / Options.BatchSize;

    private (Tensor Inputs, Tensor Targets, Tensor Mask, int RowCount) Batch(PackedRows rows, int step, Device device) =>
        Batch(rows, step, Options.BatchSize, device);

    /// <summary>Rows step·batchSize onward of packed rows as input, target and mask tensors.</summary>
    internal static (Tensor Inputs, Tensor Targets, Tensor Mask, int RowCount) Batch(PackedRows rows, int step, int batchSize, Device device)
    {
        var first = step * batchSize;
        var count = Math.Min(batchSize, rows.Rows - first);
        var range = new Range(first * rows.Length, (first + count) * rows.Length);
        long[] shape = [count, rows.Length];
        return (tensor(rows.Inputs[range], shape, device: device),
            tensor(rows.Targets[range], shape, device: device),
            tensor(rows.Mask[range], shape, device: device),
            count);
    }

    /// <summary>Mean cross-entropy over the targets the mask keeps, computed in float32.</summary>
    internal static Tensor MaskedCrossEntropy(Tensor logits, Tensor targets, Tensor mask)
    {
        var vocab = logits.shape[^1];
        var perToken = nn.functional.cross_entropy(logits.view(-1, vocab), targets.view(-1), reduction: nn.Reduction.None);
        var flatMask = mask.view(-1);
        return (perToken * flatMask).sum() / flatMask.sum().clamp_min(1);
    }

    public void Dispose() => _optimizer.Dispose();
}
