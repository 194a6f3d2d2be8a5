using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests;

internal static class TensorComparison
{
    /// <summary>Same dtype, same shape, same bytes: the strictest equality (NaN payloads and -0 included).</summary>
    public static bool BitEquals(this Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape)
        && a.detach().cpu().contiguous().bytes.SequenceEqual(b.detach().cpu().contiguous().bytes);
}
