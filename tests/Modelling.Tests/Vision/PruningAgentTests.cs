using Pipeline.Modelling.Compression.Filters;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Vision;

[Collection(TorchCollection.Name)]
public sealed class PruningAgentTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(50.0, 1.0)]
    [InlineData(-50.0, 0.0)]
    public void The_duration_policys_continuous_action_stays_within_0_and_1_whatever_the_state(double drop, double keptShare)
    {
        manual_seed(3);
        using var policy = new DurationPolicy(spread: 0.5); // a wide spread: raw samples fall well outside [0, 1]
        using var state = DurationPolicy.State(drop, 0.1, keptShare, 0.5, stage: true);
        var random = new Random(5);
        var shares = new List<double>();
        for (var i = 0; i < 500; i++)
        {
            var (share, logProbability) = policy.Sample(state, random);
            logProbability.Dispose();
            shares.Add(share);
        }
        Assert.All(shares, s => Assert.InRange(s, 0.0, 1.0));
        Assert.All(shares, s => Assert.InRange(DurationPolicy.Steps(s, 30), 0, 30));
        Assert.Contains(shares, s => s is > 0 and < 1); // clipped, not pinned
    }

    [Fact]
    public void Steps_follow_the_share_and_never_leave_the_budget()
    {
        Assert.Equal(0, DurationPolicy.Steps(-0.3, 30));
        Assert.Equal(15, DurationPolicy.Steps(0.5, 30));
        Assert.Equal(30, DurationPolicy.Steps(1.7, 30));
    }

    [Fact]
    public void The_duration_prior_fine_tunes_a_hard_hit_layer_longer_than_an_untouched_one()
    {
        manual_seed(1);
        using var policy = new DurationPolicy();
        using var untouched = DurationPolicy.State(0, 0.1, 1.0, 0.5, stage: false);
        using var hardHit = DurationPolicy.State(0.1, 0.1, 0.5, 0.5, stage: false);
        using var meanUntouched = policy.forward(untouched);
        using var meanHardHit = policy.forward(hardHit);
        Assert.True(meanHardHit.item<float>() > meanUntouched.item<float>() + 0.2, $"{meanHardHit.item<float>()} vs {meanUntouched.item<float>()}");
    }

    [Fact]
    public void Reinforce_learns_to_drop_exactly_the_filters_that_cost_nothing()
    {
        // Eight filters; dropping any of the first four costs 5 points of accuracy, the others nothing. With b = 0.1 the
        // best choice keeps exactly the first four (ψ = 1, φ = log 2); dropping one more scores 0.5·log(8/3) < log 2.
        manual_seed(7);
        using var policy = new KeepPolicy(initialKeepProbability: 0.8);
        using var bias = new TorchSharp.Modules.Parameter(zeros(8));
        using var features = randn(8, FilterFeatures.Count);
        double Reward(bool[] keep) =>
            PruningReward.TryAndLearn(0.1, 0.9, 0.9 - 0.05 * Enumerable.Range(0, 4).Count(i => !keep[i]), 8, keep.Count(k => k));
        var options = new FilterPruningOptions { Episodes = 100, Samples = 8, MinEpisodes = 100, AgentLearningRate = 0.1 };

        var result = KeepPolicyTraining.Train(policy, bias, features, Reward, options, new Random(3));

        Assert.Equal([true, true, true, true, false, false, false, false], result.Keep);
        Assert.Equal(100, result.Episodes);
        Assert.True(KeepPolicyTraining.Uncertainty(policy, bias, features) < 0.25);
    }

    [Fact]
    public void Setting_the_kept_share_makes_the_greedy_choice_keep_that_share_of_the_best_scored_filters()
    {
        manual_seed(2);
        using var policy = new KeepPolicy();
        using var bias = new TorchSharp.Modules.Parameter(zeros(20));
        using var features = randn(20, FilterFeatures.Count);
        policy.SetKeptShare(features, 0.25);
        var keep = KeepPolicyTraining.Greedy(policy, bias, features);
        Assert.Equal(5, keep.Count(k => k));

        using var logits = policy.forward(features, bias);
        var values = logits.data<float>().ToArray();
        var lowestKept = Enumerable.Range(0, 20).Where(i => keep[i]).Min(i => values[i]);
        Assert.All(Enumerable.Range(0, 20).Where(i => !keep[i]), i => Assert.True(values[i] < lowestKept));
    }
}
