using Pipeline.Contracts.Runs;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Training;
using TorchSharp;

namespace Pipeline.Modelling.Regularisation;

/// <summary>
/// What a run's Regulariser means for the trainer: "ngram" adds the n-gram-aware penalty against a frozen copy of the
/// base model (one extra forward pass per step); "goldfish" drops the Goldfish-selected tokens from the loss;
/// "none" trains on plain cross-entropy.
/// </summary>
public sealed record RegulariserChoice(ILossTerm? LossTerm, ITargetFilter? TargetFilter) : IDisposable
{
    public static RegulariserChoice For(string regulariser, string baseModelFolder, torch.Device device, RegulariserSettings settings) => regulariser switch
    {
        "ngram" => new RegulariserChoice(new NgramRegulariser(CheckpointStore.Load(baseModelFolder, device), settings.N, settings.Tau), null),
        "goldfish" => new RegulariserChoice(null, new GoldfishFilter(settings.GoldfishK, settings.GoldfishH)),
        "none" => new RegulariserChoice(null, null),
        _ => throw new ArgumentException($"unknown regulariser '{regulariser}' (none, ngram, goldfish)"),
    };

    public void Dispose() => (LossTerm as IDisposable)?.Dispose();
}
