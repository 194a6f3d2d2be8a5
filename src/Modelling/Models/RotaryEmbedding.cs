using static TorchSharp.torch;

namespace Pipeline.Modelling.Models;

/// <summary>
/// Rotary position embedding on the first <c>rotaryDims</c> dimensions of each head, in the "rotate half" layout
/// GPT-NeoX uses: the rotated block is split into two halves (x1, x2) that pair up as (x1·cos − x2·sin, x2·cos + x1·sin).
/// </summary>
internal sealed class RotaryEmbedding(int rotaryDims, double rotaryBase)
{
    public int Dims => rotaryDims;

    /// <summary>cos and sin of the angles for positions start..start+length, each [length, rotaryDims], float32.</summary>
    public (Tensor Cos, Tensor Sin) Angles(int start, int length, Device device)
    {
        // inv_freq = 1 / base^(2i/dims), computed in float32 as Hugging Face does.
        var exponents = arange(0, rotaryDims, 2, ScalarType.Int64, device).to(ScalarType.Float32) / rotaryDims;
        var inverseFrequencies = full([1], rotaryBase, ScalarType.Float32, device).pow(exponents).reciprocal();
        var positions = arange(start, start + length, 1, ScalarType.Float32, device);
        var frequencies = outer(positions, inverseFrequencies);
        var angles = cat([frequencies, frequencies], -1);
        return (angles.cos(), angles.sin());
    }

    /// <summary>Rotates x [B, heads, T, head_dim] by angles [T, rotaryDims]; the remaining dimensions pass through.</summary>
    public Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        if (rotaryDims == 0) return x;
        var headDims = x.shape[^1];
        var rotated = x.narrow(-1, 0, rotaryDims);
        var half = rotaryDims / 2;
        var firstHalf = rotated.narrow(-1, 0, half);
        var secondHalf = rotated.narrow(-1, half, half);
        var rotatedHalf = cat([secondHalf.neg(), firstHalf], -1);
        var embedded = rotated * cos + rotatedHalf * sin;
        return rotaryDims == headDims ? embedded : cat([embedded, x.narrow(-1, rotaryDims, headDims - rotaryDims)], -1);
    }
}
