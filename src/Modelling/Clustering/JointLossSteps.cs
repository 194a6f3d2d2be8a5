using static TorchSharp.torch;

namespace Pipeline.Modelling.Clustering;

/// <summary>
/// The loss the alternating method, DCN and Deep K-Means all train on — mean squared reconstruction error + λ · the
/// method's clustering term of the batch's codes — one Adam step of it per batch, and the running means of both terms
/// (what the methods report per epoch or round). Sharing it keeps the comparison about how centroids move, nothing else.
/// </summary>
public sealed class JointLossSteps(DeepAutoencoder model, optim.Optimizer optimizer, double lambda)
{
    private double _reconstruction;
    private double _clustering;
    private int _steps;

    /// <summary>One step on batch <paramref name="x"/>; call inside the batch's dispose scope.</summary>
    public void Take(Tensor x, Func<Tensor, Tensor> clusteringTerm)
    {
        var codes = model.Encode(x);
        var reconstruction = nn.functional.mse_loss(model.Decode(codes), x);
        var clustering = clusteringTerm(codes);
        var loss = reconstruction + lambda * clustering;
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        _reconstruction += reconstruction.item<float>();
        _clustering += clustering.item<float>();
        _steps++;
    }

    /// <summary>The means since the last call, and a fresh start.</summary>
    public (double Reconstruction, double Clustering) TakeMeans()
    {
        var means = (_reconstruction / Math.Max(1, _steps), _clustering / Math.Max(1, _steps));
        (_reconstruction, _clustering, _steps) = (0, 0, 0);
        return means;
    }
}
