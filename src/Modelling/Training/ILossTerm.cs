using static TorchSharp.torch;

namespace Pipeline.Modelling.Training;

/// <summary>
/// An extra term of the training objective (e.g. a memorisation regulariser): the trainer minimises
/// cross-entropy + λ·term. It is not called while λ is 0, so an expensive term (a frozen reference model) costs nothing then.
/// </summary>
public interface ILossTerm
{
    /// <summary>A scalar tensor connected to the logits' graph, or null to add nothing this step.</summary>
    Tensor? Compute(LossContext context);
}
