using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>
/// L2PF's continuous half: how long to fine-tune after pruning a layer, as a share u ∈ [0, 1] of the most steps
/// allowed. A Gaussian policy whose mean is sigmoid(MLP(state)) and whose spread is fixed; the state says how hard the
/// layer was hit: [(A − Â)/b, share of filters kept, depth in the network, 1 for a stage]. A sample is clipped into
/// [0, 1] (the log-probability is the unclipped sample's, as usual for clipped Gaussian policies). It starts from a prior
/// that fine-tunes longer the more accuracy the pruning cost, and learns from L2PF's reward.
/// </summary>
public sealed class DurationPolicy : Module<Tensor, Tensor>
{
    public const int StateSize = 4;
    private readonly Linear hidden;
    private readonly Linear mean;

    public DurationPolicy(double spread = 0.15, int hiddenUnits = 8) : base(nameof(DurationPolicy))
    {
        if (spread <= 0)
            throw new ArgumentOutOfRangeException(nameof(spread), "the policy's spread must be positive");
        Spread = spread;
        hidden = Linear(StateSize, hiddenUnits);
        mean = Linear(hiddenUnits, 1);
        // The prior it starts from: the harder the layer was hit, the longer it is fine-tuned. The first hidden unit
        // reads the accuracy drop in units of b, and the mean is about σ(2.6·tanh(drop/b) − 1.5): a fifth of D for a
        // layer that lost nothing, three fifths at the allowed drop. Learning moves it from there.
        using (no_grad())
        {
            hidden.weight![0].zero_();
            hidden.weight![0, 0] = 1.0f;
            hidden.bias![0] = 0f;
            mean.weight!.mul_(0.1);
            mean.weight![0, 0] = 2.6f;
            mean.bias!.fill_(-1.5);
        }
        RegisterComponents();
    }

    public double Spread { get; }

    /// <summary>The mean share (0..1) for the state.</summary>
    public override Tensor forward(Tensor state)
    {
        using var scope = NewDisposeScope();
        return functional.sigmoid(mean.forward(functional.tanh(hidden.forward(state)))).squeeze().MoveToOuterDisposeScope();
    }

    /// <summary>Samples a share; returns it clipped to [0, 1] and the log-probability of the raw sample (for the gradient).</summary>
    public (double Share, Tensor LogProbability) Sample(Tensor state, Random random)
    {
        var mu = forward(state);
        // Box–Muller from the seeded generator, so a run is reproducible from its seed.
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var raw = mu.item<float>() + Spread * normal;
        var logProbability = -(raw - mu).pow(2) / (2 * Spread * Spread) - Math.Log(Spread * Math.Sqrt(2 * Math.PI));
        mu.Dispose();
        return (Math.Clamp(raw, 0, 1), logProbability);
    }

    /// <summary>The steps a share stands for (rounded; never more than <paramref name="maxSteps"/>).</summary>
    public static int Steps(double share, int maxSteps) => (int)Math.Round(Math.Clamp(share, 0, 1) * maxSteps);

    public static Tensor State(double accuracyDrop, double allowedDrop, double keptShare, double depth, bool stage) =>
        tensor(new[] { (float)Math.Clamp(accuracyDrop / allowedDrop, -2, 5), (float)keptShare, (float)depth, stage ? 1f : 0f });
}
