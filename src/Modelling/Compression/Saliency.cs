using Pipeline.Modelling.Models;
using Pipeline.Modelling.Training;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Compression;

/// <summary>
/// Per-weight damage estimates of the prunable weights (see <see cref="PruningCriterion"/>). OBD and Taylor need
/// gradients: the model runs forward and backward (eval mode) over the calibration sequences. OBD's empirical Fisher
/// is the mean of squared per-sample gradients — one backward pass per calibration sequence (cut to the context
/// length; at most <see cref="MaxFisherSamples"/> of them) — as the definition asks: the square of a batch's mean
/// gradient is much smaller near an optimum, where the samples' gradients cancel, and ranks weights differently (our
/// first version did that, and OBD then lost to magnitude). Taylor averages |w·g| over batches of packed rows, as the
/// first-order estimate of the batch loss change is defined.
/// </summary>
public static class Saliency
{
    /// <summary>Calibration sequences OBD's per-sample Fisher uses at most (a seeded choice when there are more).</summary>
    public const int MaxFisherSamples = 256;

    public static Dictionary<string, Tensor> Compute(GptNeoXModel model, PruningCriterion criterion, IReadOnlyList<int[]>? calibration = null,
        int contextLength = 128, int batchSize = 16, int seed = 0)
    {
        var weights = PrunableWeights.Of(model);
        switch (criterion)
        {
            case PruningCriterion.Magnitude:
                return weights.ToDictionary(w => w.Name, w => w.Weight.detach().abs());
            case PruningCriterion.Random:
                var generator = new Generator((ulong)seed);
                return weights.ToDictionary(w => w.Name, w => rand(w.Weight.shape, generator: generator));
            case PruningCriterion.Obd:
            case PruningCriterion.Taylor:
                if (calibration is null || calibration.Count == 0)
                    throw new ArgumentException($"{criterion} pruning needs calibration sequences (it uses gradients)", nameof(calibration));
                return FromGradients(model, weights, criterion, calibration, contextLength, batchSize);
            default:
                throw new ArgumentOutOfRangeException(nameof(criterion), criterion, null);
        }
    }

    private static Dictionary<string, Tensor> FromGradients(GptNeoXModel model, IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Weight)> weights,
        PruningCriterion criterion, IReadOnlyList<int[]> calibration, int contextLength, int batchSize)
    {
        var sums = weights.ToDictionary(w => w.Name, w => zeros_like(w.Weight).detach());
        // OBD: one sequence per backward pass (per-sample gradients); Taylor: batches of packed rows.
        var rows = criterion == PruningCriterion.Obd
            ? SequencePacker.Pack(FisherSamples(calibration), contextLength, oneSequencePerRow: true)
            : SequencePacker.Pack(calibration, contextLength);
        var rowsPerPass = criterion == PruningCriterion.Obd ? 1 : batchSize;
        var passes = (rows.Rows + rowsPerPass - 1) / rowsPerPass;
        var wasTraining = model.training;
        model.eval();
        try
        {
            for (var b = 0; b < passes; b++)
            {
                using var scope = NewDisposeScope();
                model.zero_grad();
                var (inputs, targets, mask, _) = LanguageModelTrainer.Batch(rows, b, rowsPerPass, model.Device);
                LanguageModelTrainer.MaskedCrossEntropy(model.forward(inputs), targets, mask).backward();
                using var noGrad = no_grad();
                foreach (var (name, weight) in weights)
                {
                    var gradient = weight.grad ?? zeros_like(weight);
                    sums[name].add_(criterion == PruningCriterion.Obd ? gradient.square() : (gradient * weight).abs());
                }
            }
        }
        finally
        {
            model.zero_grad();
            model.train(wasTraining);
        }
        using (no_grad())
            foreach (var (name, weight) in weights)
            {
                sums[name].div_(Math.Max(1, passes));
                if (criterion == PruningCriterion.Obd)
                    sums[name].mul_(weight.detach().square()).mul_(0.5);
            }
        return sums;
    }

    private static IReadOnlyList<int[]> FisherSamples(IReadOnlyList<int[]> calibration)
    {
        if (calibration.Count <= MaxFisherSamples) return calibration;
        var order = Enumerable.Range(0, calibration.Count).ToArray();
        new Random(calibration.Count).Shuffle(order);
        return order.Take(MaxFisherSamples).Select(i => calibration[i]).ToList();
    }
}
