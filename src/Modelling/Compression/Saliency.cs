using Pipeline.Modelling.Models;
using Pipeline.Modelling.Training;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Compression;

/// <summary>
/// Per-weight damage estimates of the prunable weights (see <see cref="PruningCriterion"/>). OBD and Taylor need
/// gradients: the model runs forward and backward (eval mode, so dropout-free) over the calibration sequences, packed
/// into rows of the context length and taken batchSize rows at a time; gradients are per batch, not per sample (the
/// empirical Fisher is thereby a Fisher of batch gradients: cheaper, and the same ranking up to noise).
/// </summary>
public static class Saliency
{
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
        var rows = SequencePacker.Pack(calibration, contextLength);
        var batches = (rows.Rows + batchSize - 1) / batchSize;
        var wasTraining = model.training;
        model.eval();
        try
        {
            for (var b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                model.zero_grad();
                var (inputs, targets, mask, _) = LanguageModelTrainer.Batch(rows, b, batchSize, model.Device);
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
                sums[name].div_(Math.Max(1, batches));
                if (criterion == PruningCriterion.Obd)
                    sums[name].mul_(weight.detach().square()).mul_(0.5);
            }
        return sums;
    }
}
