using Pipeline.Modelling.Models;
using Pipeline.Modelling.Training;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Regularisation;

/// <summary>
/// Our reading of the n-gram-aware memorisation regulariser: penalise the trained model for gaining, over any n
/// consecutive targets, more than τ nats per token of log-likelihood over the frozen pre-trained model. Gains on
/// isolated tokens (learning the domain) are free; a sustained gain over a whole n-gram (reciting a passage) is not.
/// <para>Per target t: Δ_t = log p_θ(x_t | x_&lt;t) − log p_ref(x_t | x_&lt;t). Per window of n consecutive targets
/// all inside the mask: G = mean Δ. The term is the mean over windows of max(0, G − τ); the trainer multiplies it by λ.</para>
/// <para>The only extra cost is one forward pass of the reference per step, under no_grad: no graph, no backward.</para>
/// </summary>
public sealed class NgramRegulariser : ILossTerm, IDisposable
{
    private readonly GptNeoXModel _reference;

    /// <param name="reference">The frozen pre-trained base; the regulariser owns it (eval mode, no gradients) and disposes it.</param>
    /// <param name="n">Window length in targets.</param>
    /// <param name="tau">Allowed mean gain per token over a window, in nats.</param>
    /// <param name="referencePrecision">The reference's forward precision; float32 unless memory or time says otherwise.</param>
    public NgramRegulariser(GptNeoXModel reference, int n = 4, double tau = 1.0,
        ComputePrecision referencePrecision = ComputePrecision.Float32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (!double.IsFinite(tau) || tau < 0) throw new ArgumentOutOfRangeException(nameof(tau), "τ must be finite and ≥ 0");
        _reference = reference;
        N = n;
        Tau = tau;
        reference.Precision = referencePrecision;
        reference.eval();
        foreach (var parameter in reference.parameters()) parameter.requires_grad = false;
    }

    public int N { get; }

    public double Tau { get; }

    public Tensor? Compute(LossContext context)
    {
        var vocab = context.Logits.shape[^1];
        if (vocab != _reference.Config.VocabSize)
            throw new ArgumentException($"logits have {vocab} classes, the reference model {_reference.Config.VocabSize}", nameof(context));

        var targets = context.Targets.unsqueeze(-1);
        var trained = nn.functional.log_softmax(context.Logits, -1).gather(-1, targets).squeeze(-1);
        Tensor reference;
        using (no_grad())
        {
            var logits = _reference.forward(context.InputIds.to(_reference.Device)).to(context.Logits.device);
            reference = nn.functional.log_softmax(logits, -1).gather(-1, targets).squeeze(-1);
        }
        return PenaltyFromLogProbs(trained - reference, context.Mask, N, Tau);
    }

    /// <summary>
    /// The term from per-target gains <paramref name="deltas"/> [B, T] and <paramref name="mask"/> [B, T]. Windows lie
    /// within one row and need every target's mask &gt; 0, so they never span padding, a sequence boundary (a
    /// sequence's last token has mask 0) or a filtered target. With no window it returns 0 still connected to
    /// <paramref name="deltas"/>, so backward works and gives zero gradients.
    /// </summary>
    internal static Tensor PenaltyFromLogProbs(Tensor deltas, Tensor mask, int n, double tau)
    {
        if (deltas.shape[1] < n) return (deltas * 0).sum();
        var windowGain = deltas.unfold(1, n, 1).mean([-1]);                      // [B, T−n+1]
        var inside = (mask > 0).to(ScalarType.Float32).unfold(1, n, 1).amin([-1]) > 0; // all n targets counted
        var excess = nn.functional.relu(windowGain - tau);
        // where, not multiply: keeps the gain of a window over masked slots out of the sum and its gradient.
        var kept = where(inside, excess, zeros_like(excess));
        return kept.sum() / inside.sum().to(ScalarType.Float32).clamp_min(1);
    }

    public void Dispose() => _reference.Dispose();
}
