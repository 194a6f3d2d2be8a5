using static TorchSharp.torch;

namespace Pipeline.Modelling.Training;

/// <summary>
/// What an extra loss term sees for one batch. Tensors belong to the step's dispose scope: use them, don't keep them.
/// </summary>
/// <param name="Logits">[B, T, vocab] float32, part of the autograd graph.</param>
/// <param name="Targets">[B, T] int64 next tokens (0 where <paramref name="Mask"/> is 0).</param>
/// <param name="Mask">[B, T] float32, 1 where the target counts in the loss.</param>
/// <param name="InputIds">[B, T] int64.</param>
/// <param name="Lambda">The strength the trainer will multiply the term by (see <see cref="LanguageModelTrainer.SetLambda"/>).</param>
/// <param name="Epoch">1-based epoch of the step.</param>
/// <param name="Step">0-based optimizer step.</param>
public sealed record LossContext(Tensor Logits, Tensor Targets, Tensor Mask, Tensor InputIds, double Lambda, int Epoch, long Step);
