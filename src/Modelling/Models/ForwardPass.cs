using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Models;

/// <summary>
/// What every layer needs to know about the current forward pass: the matmul dtype, the rotary angles of the
/// positions being computed, and the cache (if decoding).
/// </summary>
internal sealed record ForwardPass(ScalarType ComputeType, Tensor Cos, Tensor Sin, KeyValueCache? Cache)
{
    public int PastLength => Cache?.Length ?? 0;

    public Tensor ToCompute(Tensor t) => t.dtype == ComputeType ? t : t.to(ComputeType);

    /// <summary>
    /// x·Wᵀ + b in the compute dtype. The cast of a float32 master weight is part of the autograd graph, so its
    /// gradient arrives in float32; each weight is used once per pass, so it is cast once per step.
    /// </summary>
    public Tensor Project(Linear layer, Tensor input)
    {
        var bias = layer.bias is null ? null : ToCompute(layer.bias);
        return nn.functional.linear(ToCompute(input), ToCompute(layer.weight), bias);
    }
}
