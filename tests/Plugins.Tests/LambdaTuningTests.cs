using Pipeline.Contracts.Plugins;
using Pipeline.Plugins.Regularisation;

namespace Pipeline.Plugins.Tests;

public sealed class LambdaTuningTests
{
    private static RunHistory History(double lambda, bool tune, params double[] excess) =>
        new(Guid.NewGuid(), excess.Select((e, i) => new EpochMetrics(i + 1, new Dictionary<string, double>
        {
            ["ngram_score"] = 0.2 + e,
            ["ngram_score_heldout"] = 0.2,
            ["lambda"] = lambda,
            ["tune_lambda"] = tune ? 1 : 0,
        })).ToList(), lambda);

    private static async Task<TrainingDecision> Decide(LambdaTuningPolicy policy, RunHistory history) =>
        await policy.DecideAsync(history, CancellationToken.None);

    [Fact]
    public async Task A_growing_excess_raises_lambda_starting_from_the_initial_value()
    {
        var policy = new LambdaTuningPolicy();

        var fromZero = Assert.IsType<TrainingDecision.Regularise>(await Decide(policy, History(0, true, 0.00, 0.05)));
        var doubled = Assert.IsType<TrainingDecision.Regularise>(await Decide(policy, History(0.3, true, 0.00, 0.05)));

        Assert.Equal(0.1, fromZero.Lambda, 9); // the initial value
        Assert.Equal(0.6, doubled.Lambda, 9);
        Assert.Contains("raise", doubled.Reason);
    }

    [Fact]
    public async Task A_falling_excess_relaxes_lambda_down_to_zero()
    {
        var policy = new LambdaTuningPolicy();

        var halved = Assert.IsType<TrainingDecision.Regularise>(await Decide(policy, History(0.4, true, 0.10, 0.02)));
        var off = Assert.IsType<TrainingDecision.Regularise>(await Decide(policy, History(0.15, true, 0.10, 0.02)));

        Assert.Equal(0.2, halved.Lambda, 9);
        Assert.Equal(0, off.Lambda); // below the initial value it switches off
        Assert.Contains("relax", halved.Reason);
    }

    [Fact]
    public async Task Lambda_stays_within_its_bounds()
    {
        var policy = new LambdaTuningPolicy();
        policy.Configure(new LambdaTuningSettings { Maximum = 0.5 });

        var capped = Assert.IsType<TrainingDecision.Regularise>(await Decide(policy, History(0.4, true, 0.0, 0.1)));
        var atCap = await Decide(policy, History(0.5, true, 0.0, 0.1));

        Assert.Equal(0.5, capped.Lambda);
        Assert.IsType<TrainingDecision.ContinueTraining>(atCap); // already at the maximum: nothing to change
    }

    [Fact]
    public async Task A_flat_excess_or_a_run_that_did_not_ask_for_tuning_is_left_alone()
    {
        var policy = new LambdaTuningPolicy();

        Assert.IsType<TrainingDecision.ContinueTraining>(await Decide(policy, History(0.2, true, 0.05, 0.055)));
        Assert.IsType<TrainingDecision.ContinueTraining>(await Decide(policy, History(0.2, false, 0.0, 0.3)));
        Assert.IsType<TrainingDecision.ContinueTraining>(await Decide(policy, History(0.2, true, 0.3))); // one epoch: no trend yet
    }
}
