using Pipeline.Modelling.Regularisation;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Regularisation;

/// <summary>The window arithmetic of <see cref="NgramRegulariser.PenaltyFromLogProbs"/> on hand-made gains.</summary>
[Collection(TorchCollection.Name)]
public sealed class NgramPenaltyMathTests
{
    [Fact]
    public void Full_mask_averages_the_excess_of_every_window()
    {
        // n = 2, τ = 1: windows (3,3) (3,0) (0,0) (0,5) (5,1) → G = 3, 1.5, 0, 2.5, 3 → excess 2, 0.5, 0, 1.5, 2 → 6/5.
        using var deltas = tensor(new float[] { 3, 3, 0, 0, 5, 1 }, [1, 6]);
        using var mask = ones(1, 6);

        using var penalty = NgramRegulariser.PenaltyFromLogProbs(deltas, mask, n: 2, tau: 1.0);

        Assert.Equal(1.2f, penalty.item<float>(), 6);
    }

    [Fact]
    public void Windows_touching_a_masked_target_are_left_out_and_rows_are_not_joined()
    {
        // Row 0: mask 0 at index 2 leaves windows (0,1) (3,4) (4,5): G = 3, 2.5, 3 → excess 2, 1.5, 2.
        // Row 1: the masked gain of 100 at index 0 must not count; windows (1,2) (2,3): G = 1, 2 → excess 0, 1;
        // (3,4) and (4,5) touch the padding at 4–5.
        // Joining row 0's end to row 1's start would add a window (1, 100). Mean = (2 + 1.5 + 2 + 0 + 1) / 5 = 1.3.
        using var deltas = tensor(new float[] { 3, 3, 9, 0, 5, 1, 100, 1, 1, 3, 7, 7 }, [2, 6]);
        using var mask = tensor(new float[] { 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0 }, [2, 6]);

        using var penalty = NgramRegulariser.PenaltyFromLogProbs(deltas, mask, n: 2, tau: 1.0);

        Assert.Equal(1.3f, penalty.item<float>(), 6);
    }

    [Fact]
    public void Gains_at_or_below_tau_cost_nothing()
    {
        // n = 3, τ = 1: every window's mean is ≤ 1 although single gains reach 3.
        using var deltas = tensor(new float[] { 3, 0, 0, 3, 0, 0 }, [1, 6]);
        using var mask = ones(1, 6);

        using var penalty = NgramRegulariser.PenaltyFromLogProbs(deltas, mask, n: 3, tau: 1.0);

        Assert.Equal(0f, penalty.item<float>());
    }

    [Fact]
    public void No_window_gives_a_zero_that_backpropagates_zero_gradients()
    {
        // n = 4 but no 4 consecutive targets are counted (and a second case is shorter than n).
        using var deltas = tensor(new float[] { 5, 5, 5, 0, 5, 5, 5 }, [1, 7]).requires_grad_();
        using var mask = tensor(new float[] { 1, 1, 1, 0, 1, 1, 1 }, [1, 7]);
        using var shortDeltas = full(1, 3, 5f).requires_grad_();

        using var penalty = NgramRegulariser.PenaltyFromLogProbs(deltas, mask, n: 4, tau: 0.0);
        using var shortPenalty = NgramRegulariser.PenaltyFromLogProbs(shortDeltas, ones(1, 3), n: 4, tau: 0.0);
        penalty.backward();
        shortPenalty.backward();

        Assert.Equal(0f, penalty.item<float>());
        Assert.Equal(0f, shortPenalty.item<float>());
        Assert.Equal(0f, deltas.grad!.abs().sum().item<float>());
        Assert.Equal(0f, shortDeltas.grad!.abs().sum().item<float>());
    }
}
