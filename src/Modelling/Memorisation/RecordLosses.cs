using Pipeline.Modelling.Models;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Memorisation;

/// <summary>
/// Each record's mean next-token cross-entropy under a model (eval mode, no gradients), one sequence at a time and cut
/// to the context length: the loss a membership-inference attacker thresholds (trained records score lower).
/// </summary>
public static class RecordLosses
{
    public static double[] Of(GptNeoXModel model, IReadOnlyList<int[]> sequences, int contextLength)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            return sequences.Select(sequence =>
            {
                var ids = sequence.Take(contextLength).Select(i => (long)i).ToArray();
                if (ids.Length < 2) return double.NaN;
                using var scope = NewDisposeScope();
                var input = tensor(ids[..^1], [1, ids.Length - 1], device: model.Device);
                var target = tensor(ids[1..], [ids.Length - 1], device: model.Device);
                var logits = model.forward(input).reshape(ids.Length - 1, -1).to(ScalarType.Float32);
                return (double)nn.functional.cross_entropy(logits, target).item<float>();
            }).ToArray();
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
