using static TorchSharp.torch;

namespace Pipeline.Modelling.Compression;

/// <summary>
/// Weight-only int8, symmetric, per output channel: each row r of a weight matrix gets scale_r = max|w_r| / 127 and is
/// stored as q = round(w / scale_r) clamped to [−127, 127]; w ≈ q · scale_r, off by at most scale_r / 2 per element.
/// An all-zero row gets scale 1 (it stores zeros exactly).
/// </summary>
public static class Int8Quantisation
{
    public static (Tensor Values, Tensor Scales) Quantise(Tensor weight)
    {
        if (weight.dim() != 2) throw new ArgumentException("per-channel int8 takes a matrix (rows = output channels)", nameof(weight));
        using var scope = NewDisposeScope();
        var w = weight.detach().to(ScalarType.Float32);
        var maxAbs = w.abs().amax([1]);
        var scales = where(maxAbs > 0, maxAbs / 127.0, ones_like(maxAbs));
        var q = (w / scales.unsqueeze(1)).round().clamp(-127, 127).to(ScalarType.Int8);
        return (q.MoveToOuterDisposeScope(), scales.MoveToOuterDisposeScope());
    }

    public static Tensor Dequantise(Tensor values, Tensor scales)
    {
        using var scope = NewDisposeScope();
        return (values.to(ScalarType.Float32) * scales.to(ScalarType.Float32).unsqueeze(1)).MoveToOuterDisposeScope();
    }
}
