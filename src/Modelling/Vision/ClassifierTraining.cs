using static TorchSharp.torch;

namespace Pipeline.Modelling.Vision;

/// <summary>How to train (or fine-tune) an image classifier: SGD with Nesterov-free momentum and weight decay, cosine-decayed.</summary>
public sealed record ClassifierTrainingOptions
{
    public int BatchSize { get; init; } = 128;
    public double LearningRate { get; init; } = 0.05;
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 5e-4;
    /// <summary>Decay the rate to zero along a cosine over the steps (true) or keep it constant (fine-tuning in pieces).</summary>
    public bool Cosine { get; init; } = true;
    public int Seed { get; init; } = 1;
}

/// <summary>
/// Trains a classifier on <see cref="ImageTensors"/> with cross-entropy, for a number of optimiser steps, and measures
/// accuracy in eval mode (batch norm from its running statistics). Steps rather than epochs are the unit, because the
/// pruners spend fine-tuning in steps; an epoch is ⌈N / batch⌉ steps.
/// </summary>
public static class ClassifierTraining
{
    public static int StepsPerEpoch(int count, int batchSize) => (count + batchSize - 1) / batchSize;

    /// <summary>Runs <paramref name="steps"/> optimiser steps over seeded shuffles of the data; returns the mean training loss.</summary>
    public static double Train(nn.Module<Tensor, Tensor> model, ImageTensors data, int steps, ClassifierTrainingOptions options,
        Action<int, double>? progress = null, CancellationToken cancellationToken = default)
    {
        if (steps <= 0)
            return double.NaN;
        model.train();
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = optim.SGD(parameters, options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay);
        var generator = new Random(options.Seed);
        var order = Array.Empty<long>();
        var position = 0;
        double lossSum = 0;
        for (var step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (position + options.BatchSize > order.Length)
            {
                order = Enumerable.Range(0, data.Count).Select(i => (long)i).ToArray();
                generator.Shuffle(order);
                position = 0;
            }
            var take = Math.Min(options.BatchSize, order.Length);
            if (options.Cosine)
                foreach (var group in optimizer.ParamGroups)
                    group.LearningRate = options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * step / steps));
            using var scope = NewDisposeScope();
            using var index = tensor(order.AsSpan(position, take).ToArray());
            position += take;
            var images = data.Images.index_select(0, index);
            var labels = data.Labels.index_select(0, index);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(images), labels);
            loss.backward();
            optimizer.step();
            var value = loss.item<float>();
            lossSum += value;
            progress?.Invoke(step + 1, value);
        }
        return lossSum / steps;
    }

    /// <summary>Share of the images classified correctly, in eval mode; the model is left in eval mode.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, ImageTensors data, int batchSize = 500)
    {
        model.eval();
        using var noGrad = no_grad();
        long correct = 0;
        for (var start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(batchSize, data.Count - start);
            var logits = model.forward(data.Images.narrow(0, start, length));
            correct += logits.argmax(1).eq(data.Labels.narrow(0, start, length)).sum().item<long>();
        }
        return (double)correct / data.Count;
    }
}
