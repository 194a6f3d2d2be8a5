using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>
/// The discrete half of a pruning agent: a keep probability for every filter of a group. A small network scores each
/// filter from its <see cref="FilterFeatures"/> (shared by the filters, and — in L2PF — by the layers), and a learned
/// bias per filter lets the agent single filters out beyond what the features say (Huang et al.'s agent maps the whole
/// layer to one output per filter; per-filter features plus per-filter biases is our reading that also carries across
/// layers of different widths).
/// </summary>
public sealed class KeepPolicy : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly Linear score;

    public KeepPolicy(double initialKeepProbability = 0.8, int hiddenUnits = 16) : base(nameof(KeepPolicy))
    {
        hidden = Linear(FilterFeatures.Count, hiddenUnits);
        score = Linear(hiddenUnits, 1);
        using (no_grad())
            score.bias!.fill_(Logit(initialKeepProbability));
        RegisterComponents();
    }

    private static double Logit(double p) => Math.Log(p / (1 - p));

    /// <summary>The mean keep logit over a layer's filters (without their own biases): the policy's keep rate there.</summary>
    public double MeanLogit(Tensor features)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return score.forward(functional.tanh(hidden.forward(features))).mean().item<float>();
    }

    /// <summary>
    /// Shifts the output bias so that the mean keep logit over this layer's filters is <paramref name="meanLogit"/>,
    /// keeping how the filters differ: L2PF starts each layer at the keep rate of the last layer of its kind, while
    /// what an important filter looks like carries over from every layer.
    /// </summary>
    public void SetMeanLogit(Tensor features, double meanLogit)
    {
        var now = MeanLogit(features);
        using var noGrad = no_grad();
        score.bias!.add_(meanLogit - now);
    }

    public static double LogitOf(double probability) => Logit(probability);

    /// <summary>
    /// Shifts the output bias so that the greedy choice keeps <paramref name="keptShare"/> of this layer's filters (those
    /// the policy scores highest): L2PF starts a layer at the share the last layer of its kind kept.
    /// </summary>
    public void SetKeptShare(Tensor features, double keptShare)
    {
        double[] logits;
        using (no_grad())
        using (var scope = NewDisposeScope())
            logits = score.forward(functional.tanh(hidden.forward(features))).data<float>().Select(v => (double)v).OrderDescending().ToArray();
        var kept = Math.Clamp((int)Math.Round(keptShare * logits.Length), 1, logits.Length);
        // Midway between the last kept and the first dropped filter's logit goes to zero.
        var threshold = kept == logits.Length ? logits[^1] - 1 : (logits[kept - 1] + logits[kept]) / 2;
        using var noGrad = no_grad();
        score.bias!.sub_(threshold);
    }

    /// <summary>Keep logits (one per filter) from the features (filters × <see cref="FilterFeatures.Count"/>) and the group's biases.</summary>
    public override Tensor forward(Tensor features, Tensor filterBias)
    {
        using var scope = NewDisposeScope();
        return (score.forward(functional.tanh(hidden.forward(features))).squeeze(1) + filterBias).MoveToOuterDisposeScope();
    }
}
