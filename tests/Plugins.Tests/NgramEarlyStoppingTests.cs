using Pipeline.Contracts.Plugins;
using Pipeline.Plugins.EarlyStopping;

namespace Pipeline.Plugins.Tests;

public sealed class NgramEarlyStoppingTests
{
    private static RunHistory History(params (double Train, double HeldOut)[] scores) =>
        new(Guid.NewGuid(), scores.Select((s, i) => new EpochMetrics(i + 1, new Dictionary<string, double>
        {
            ["ngram_score"] = s.Train,
            ["ngram_score_heldout"] = s.HeldOut,
        })).ToList(), 0);

    private static async Task<TrainingDecision> Decide(NgramEarlyStoppingPolicy policy, RunHistory history) =>
        await policy.DecideAsync(history, CancellationToken.None);

    [Fact]
    public async Task A_flat_excess_never_stops_the_run()
    {
        var policy = new NgramEarlyStoppingPolicy();
        var flat = History((0.20, 0.18), (0.21, 0.18), (0.20, 0.19), (0.22, 0.19), (0.21, 0.18), (0.20, 0.18));

        for (var epochs = 1; epochs <= flat.Epochs.Count; epochs++)
            Assert.IsType<TrainingDecision.ContinueTraining>(await Decide(policy, flat with { Epochs = flat.Epochs.Take(epochs).ToList() }));
    }

    [Fact]
    public async Task A_rise_above_the_running_minimum_for_patience_epochs_stops_the_run_naming_the_rule()
    {
        var policy = new NgramEarlyStoppingPolicy();
        policy.Configure(new NgramEarlyStoppingSettings { Delta = 0.05, Patience = 2, Threshold = 0.9 });
        // Excess: 0.02, 0.00 (running minimum), 0.08 (rise 1), 0.12 (rise 2 → stop).
        var rising = History((0.20, 0.18), (0.18, 0.18), (0.26, 0.18), (0.30, 0.18));

        Assert.IsType<TrainingDecision.ContinueTraining>(await Decide(policy, rising with { Epochs = rising.Epochs.Take(3).ToList() }));
        var stop = Assert.IsType<TrainingDecision.Stop>(await Decide(policy, rising));
        Assert.StartsWith("rise:", stop.Reason);
        Assert.Contains("for 2 epochs", stop.Reason);
    }

    [Fact]
    public async Task A_rise_that_falls_back_resets_the_patience()
    {
        var policy = new NgramEarlyStoppingPolicy();
        policy.Configure(new NgramEarlyStoppingSettings { Delta = 0.05, Patience = 2 });
        // Excess: 0.00, 0.10 (rise 1), 0.01 (back: reset), 0.10 (rise 1 again).
        var bumpy = History((0.18, 0.18), (0.28, 0.18), (0.19, 0.18), (0.28, 0.18));

        Assert.IsType<TrainingDecision.ContinueTraining>(await Decide(policy, bumpy));
    }

    [Fact]
    public async Task Passing_the_absolute_threshold_stops_at_once()
    {
        var policy = new NgramEarlyStoppingPolicy();
        policy.Configure(new NgramEarlyStoppingSettings { Threshold = 0.3 });

        var stop = Assert.IsType<TrainingDecision.Stop>(await Decide(policy, History((0.60, 0.20))));
        Assert.StartsWith("threshold:", stop.Reason);
    }

    [Fact]
    public async Task Epochs_without_memorisation_metrics_are_not_judged()
    {
        var policy = new NgramEarlyStoppingPolicy();
        var lossesOnly = new RunHistory(Guid.NewGuid(),
            [new EpochMetrics(1, new Dictionary<string, double> { ["train_loss"] = 3 }), new EpochMetrics(2, new Dictionary<string, double> { ["train_loss"] = 1 })], 0);

        Assert.IsType<TrainingDecision.ContinueTraining>(await Decide(policy, lossesOnly));
    }

    [Fact]
    public void Settings_out_of_range_are_refused()
    {
        var policy = new NgramEarlyStoppingPolicy();
        var error = Assert.Throws<ArgumentException>(() => policy.Configure(new NgramEarlyStoppingSettings { Patience = 0 }));
        Assert.Contains("Patience", error.Message);
    }
}
