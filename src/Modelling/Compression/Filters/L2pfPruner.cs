using static TorchSharp.torch;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>
/// L2PF, learning to prune faster (our reading of the paper): one multi-task agent for the whole network, with a
/// discrete action — which filters of the layer to drop, as in try-and-learn but from a scorer shared by all layers
/// (so what it learned on one layer starts the next, and its choice settles in fewer episodes) — and a continuous
/// action — how many fine-tuning steps the layer gets, up to try-and-learn's fixed D. The discrete head learns from
/// ψ·φ on every tried choice; the continuous head from ψ(after fine-tuning)·φ − κ·d/D once the layer is fine-tuned,
/// by REINFORCE against the reward the layer had before fine-tuning.
/// </summary>
public sealed class L2pfPruner : LayerByLayerPruner
{
    private KeepPolicy? _keep;
    private DurationPolicy? _duration;
    private optim.Optimizer? _durationOptimizer;
    private Tensor? _lastLogProbability;
    private readonly Dictionary<FilterGroupKind, double> _keptShareByKind = new();

    public override string Name => "l2pf";

    /// <summary>The mean share of D the duration policy would choose now for a state (for tests and reports).</summary>
    public double MeanShare(Tensor state)
    {
        using var noGrad = no_grad();
        using var mean = (_duration ?? throw new InvalidOperationException("the agent has not started")).forward(state);
        return mean.item<float>();
    }

    protected override void Start(FilterPruningOptions options)
    {
        _keep?.Dispose();
        _duration?.Dispose();
        _keep = new KeepPolicy(options.InitialKeepProbability);
        _duration = new DurationPolicy(options.DurationSpread);
        // Plain SGD: one noisy sample per layer, whose size should matter (Adam would take a full step on each).
        _durationOptimizer = optim.SGD(_duration.parameters(), options.DurationLearningRate);
        _keptShareByKind.Clear();
    }

    protected override KeepPolicyResult ChooseFilters(FilterGroup group, Tensor features, Func<bool[], double> reward, FilterPruningOptions options, Random random)
    {
        using var bias = new TorchSharp.Modules.Parameter(zeros(features.shape[0]));
        // A stage's stream and a block's inner filters stand pruning differently: each kind starts keeping the share the
        // last layer of that kind kept (its best-scored filters), the first of each kind from the prior keep rate.
        if (_keptShareByKind.TryGetValue(group.Kind, out var share))
            _keep!.SetKeptShare(features, share);
        else
            _keep!.SetMeanLogit(features, KeepPolicy.LogitOf(options.InitialKeepProbability));
        var result = KeepPolicyTraining.Train(_keep, bias, features, reward, options, random);
        _keptShareByKind[group.Kind] = (double)result.Keep.Count(k => k) / result.Keep.Length;
        return result;
    }

    protected override int ChooseSteps(LayerState state, FilterPruningOptions options, Random random)
    {
        using var input = StateOf(state, options);
        _lastLogProbability?.Dispose();
        var (share, logProbability) = _duration!.Sample(input, random);
        _lastLogProbability = logProbability;
        return DurationPolicy.Steps(share, options.FineTuneSteps);
    }

    protected override void Learn(LayerState state, int steps, FilterPruningOptions options)
    {
        var reward = PruningReward.WithCompute(options.AllowedDrop, state.AccuracyBefore, state.AccuracyAfter, state.Filters, state.Kept,
            steps, options.FineTuneSteps, options.ComputeWeight);
        // The baseline is the layer's reward had it not been fine-tuned at all, ψ(Â before fine-tuning)·φ: the advantage
        // is then what the fine-tuning won back, φ·(Â_d − Â_0)/b, less its compute, κ·d/D — so how hard layers differ
        // in being pruned does not drown out what the duration did.
        var advantage = reward - PruningReward.TryAndLearn(options.AllowedDrop, state.AccuracyBefore, state.AccuracyPruned, state.Filters, state.Kept);
        if (_lastLogProbability is null || advantage == 0)
            return;
        _durationOptimizer!.zero_grad();
        using var loss = -advantage * _lastLogProbability;
        loss.backward();
        _durationOptimizer.step();
        _lastLogProbability.Dispose();
        _lastLogProbability = null;
    }

    private static Tensor StateOf(LayerState state, FilterPruningOptions options) =>
        DurationPolicy.State(state.AccuracyBefore - state.AccuracyPruned, options.AllowedDrop, (double)state.Kept / state.Filters, state.Depth,
            state.Group.Kind == FilterGroupKind.Stage);
}
