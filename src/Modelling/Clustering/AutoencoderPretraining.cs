using static TorchSharp.torch;

namespace Pipeline.Modelling.Clustering;

/// <summary>
/// Pretrains the autoencoder on reconstruction alone (mean squared error, Adam), end to end — DCN's pretraining
/// without DEC's greedy layer-wise stage (our simplification; the deep-clustering step starts from these weights).
/// Returns each epoch's mean loss.
/// </summary>
public static class AutoencoderPretraining
{
    public static IReadOnlyList<double> Train(DeepAutoencoder model, Tensor data, int epochs, int batchSize = 256, double learningRate = 1e-3, int seed = 1,
        CancellationToken cancellationToken = default)
    {
        model.train();
        using var optimizer = optim.Adam(model.parameters(), learningRate);
        var random = new Random(seed);
        var n = (int)data.shape[0];
        var losses = new List<double>();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            double sum = 0;
            var batches = 0;
            foreach (var batch in ShuffledBatches.Of(n, batchSize, random))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var x = data.index_select(0, tensor(batch));
                var loss = nn.functional.mse_loss(model.forward(x), x);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                sum += loss.item<float>();
                batches++;
            }
            losses.Add(sum / batches);
        }
        return losses;
    }
}
