namespace Pipeline.Modelling.Models;

/// <summary>
/// The number format of the forward pass's matmuls. Master weights, gradients and optimizer state stay float32
/// either way: TorchSharp 0.107 has no autocast, so BFloat16 casts weights and activations inside the forward
/// pass only, and keeps layer norms, the residual stream, and logits in float32.
/// </summary>
public enum ComputePrecision
{
    Float32,
    BFloat16,
}
