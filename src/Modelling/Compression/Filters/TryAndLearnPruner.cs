using static TorchSharp.torch;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>
/// Try-and-learn (Huang, Zhou, You and Neumann, WACV 2018): a fresh agent for every layer, trained with REINFORCE on
/// R = ψ·φ, and a fixed fine-tuning duration after each layer.
/// </summary>
public sealed class TryAndLearnPruner : LayerByLayerPruner
{
    public override string Name => "try-and-learn";

    protected override void Start(FilterPruningOptions options)
    {
    }

    protected override KeepPolicyResult ChooseFilters(FilterGroup group, Tensor features, Func<bool[], double> reward, FilterPruningOptions options, Random random)
    {
        using var policy = new KeepPolicy(options.InitialKeepProbability);
        using var bias = new TorchSharp.Modules.Parameter(zeros(features.shape[0]));
        return KeepPolicyTraining.Train(policy, bias, features, reward, options, random);
    }

    protected override int ChooseSteps(LayerState state, FilterPruningOptions options, Random random) => options.FineTuneSteps;
}
