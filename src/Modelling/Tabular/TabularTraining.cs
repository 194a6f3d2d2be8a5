using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tabular;

/// <summary>How a tabular classifier is trained: the EUPG code's Adam (lr 1e-2) with batches of 512.</summary>
public sealed record TabularTrainingOptions(double LearningRate = 1e-2, int BatchSize = 512)
{
    public void Validate()
    {
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), "the learning rate must be positive");
        if (BatchSize < 2) throw new ArgumentOutOfRangeException(nameof(BatchSize), "batch norm needs batches of at least 2");
    }
}

/// <summary>
/// Trains and applies a <see cref="TabularMlp"/> with cross-entropy. Each call to <see cref="Train"/> starts a fresh
/// Adam optimizer, as each EUPG phase does. The epoch's shuffle comes from System.Random(seed + epoch), so a run is
/// repeatable on the CPU. A final batch of a single row is skipped: batch norm cannot train on one row.
/// </summary>
public static class TabularTraining
{
    public static void Train(TabularMlp model, TabularMatrix data, int epochs, TabularTrainingOptions options, int seed)
    {
        options.Validate();
        if (epochs < 0) throw new ArgumentOutOfRangeException(nameof(epochs), "epochs must be ≥ 0");
        if (data.Rows < 2 || epochs == 0) return;
        using var features = tensor(data.Features, [data.Rows, data.Width]);
        using var labels = tensor(data.Labels.Select(l => (long)l).ToArray(), [data.Rows]);
        using var optimizer = optim.Adam(model.parameters(), lr: options.LearningRate);
        model.train();
        var order = Enumerable.Range(0, data.Rows).ToArray();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            new Random(seed + epoch).Shuffle(order);
            for (var start = 0; start < order.Length; start += options.BatchSize)
            {
                var count = Math.Min(options.BatchSize, order.Length - start);
                if (count < 2) continue;
                using var scope = NewDisposeScope();
                var index = tensor(order.AsSpan(start, count).ToArray().Select(i => (long)i).ToArray(), [count]);
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(features.index_select(0, index)), labels.index_select(0, index));
                loss.backward();
                optimizer.step();
            }
        }
    }

    /// <summary>Logits in eval mode (batch norm on its running statistics), rows × classes, row-major.</summary>
    public static float[] Logits(TabularMlp model, TabularMatrix data)
    {
        if (data.Rows == 0) return [];
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = model.forward(tensor(data.Features, [data.Rows, data.Width]));
        return logits.contiguous().data<float>().ToArray();
    }

    /// <summary>Share of rows whose largest logit is their label.</summary>
    public static double Accuracy(float[] logits, int classes, IReadOnlyList<int> labels)
    {
        if (labels.Count == 0) return 0;
        var correct = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var best = 0;
            for (var c = 1; c < classes; c++)
                if (logits[i * classes + c] > logits[i * classes + best]) best = c;
            if (best == labels[i]) correct++;
        }
        return (double)correct / labels.Count;
    }

    /// <summary>A new model with seeded initial weights.</summary>
    public static TabularMlp NewModel(int features, int classes, int seed, int hidden = 128)
    {
        torch.manual_seed(seed);
        return new TabularMlp(features, classes, hidden);
    }
}
