using Pipeline.Modelling.Compression.Filters;

namespace Pipeline.Modelling.Tests.Vision;

public sealed class PruningRewardTests
{
    [Theory]
    [InlineData(0.10, 0.90, 0.90, 1.0)]    // nothing lost
    [InlineData(0.10, 0.90, 0.85, 0.5)]    // half the allowance spent
    [InlineData(0.10, 0.90, 0.80, 0.0)]    // exactly the allowed drop
    [InlineData(0.10, 0.90, 0.70, -1.0)]   // twice the allowed drop
    [InlineData(0.05, 0.80, 0.82, 1.4)]    // an accuracy gain counts for it
    public void The_accuracy_term_is_the_share_of_the_allowed_drop_left(double b, double before, double after, double expected) =>
        Assert.Equal(expected, PruningReward.Accuracy(b, before, after), 10);

    [Theory]
    [InlineData(64, 64, 0.0)]
    [InlineData(64, 16, 1.3862943611198906)] // log 4
    [InlineData(10, 1, 2.302585092994046)]   // log 10
    public void The_efficiency_term_is_the_log_of_the_layers_compression(int before, int after, double expected) =>
        Assert.Equal(expected, PruningReward.Efficiency(before, after), 10);

    [Fact]
    public void Try_and_learns_reward_is_their_product_and_l2pfs_charges_the_fine_tuning_share()
    {
        // b = 0.1, A = 0.9, Â = 0.85: ψ = 0.5; 32 → 8 filters: φ = log 4.
        Assert.Equal(0.5 * Math.Log(4), PruningReward.TryAndLearn(0.1, 0.9, 0.85, 32, 8), 10);
        // 15 of at most 30 steps at κ = 0.5: −0.25.
        Assert.Equal(0.5 * Math.Log(4) - 0.25, PruningReward.WithCompute(0.1, 0.9, 0.85, 32, 8, 15, 30, 0.5), 10);
        Assert.Equal(0.5 * Math.Log(4), PruningReward.WithCompute(0.1, 0.9, 0.85, 32, 8, 0, 30, 0.5), 10);
    }

    [Fact]
    public void Impossible_values_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PruningReward.Accuracy(0, 0.9, 0.8));
        Assert.Throws<ArgumentOutOfRangeException>(() => PruningReward.Efficiency(16, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PruningReward.Efficiency(16, 17));
    }
}
