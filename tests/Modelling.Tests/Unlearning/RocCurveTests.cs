using Pipeline.Modelling.Unlearning;

namespace Pipeline.Modelling.Tests.Unlearning;

public sealed class RocCurveTests
{
    [Fact]
    public void Auc_is_the_share_of_member_nonmember_pairs_the_score_orders_right()
    {
        // Pairs: 0.9>0.1, 0.9>0.85, 0.8>0.1 right; 0.8<0.85 wrong → 3/4.
        Assert.Equal(0.75, RocCurve.Auc([0.9, 0.8], [0.1, 0.85]), 12);
    }

    [Fact]
    public void Ties_count_half_and_a_reversed_score_gives_one_minus_the_auc()
    {
        Assert.Equal(0.5, RocCurve.Auc([1.0, 1.0], [1.0]), 12);
        Assert.Equal(0.875, RocCurve.Auc([2.0, 1.0], [1.0, 0.0]), 12); // 2>1, 2>0, 1=1 (½), 1>0 → 3.5/4
        Assert.Equal(1 - 0.75, RocCurve.Auc([-0.9, -0.8], [-0.1, -0.85]), 12);
    }

    [Fact]
    public void Advantage_is_the_largest_gap_between_true_and_false_positive_rates()
    {
        // Threshold 0.8: TPR 1, FPR ½; threshold 0.9: TPR ½, FPR 0 → ½ either way.
        Assert.Equal(0.5, RocCurve.Advantage([0.9, 0.8], [0.1, 0.85]), 12);
        Assert.Equal(1.0, RocCurve.Advantage([5, 6, 7], [1, 2]), 12);
        Assert.Equal(0.0, RocCurve.Advantage([1, 1], [1, 1]), 12);
    }
}
