using Pipeline.Modelling.Models;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests;

/// <summary>
/// An independent, deliberately plain GPT-NeoX forward pass written from the Hugging Face description (per-head
/// loops, explicit −∞ causal mask and softmax, layer norm and erf-GELU from their formulas, rotary angles in double
/// precision). It reads weights by their Hugging Face names, so a test can check that the model put each tensor in
/// the right place and wires it the same way.
/// </summary>
internal static class ReferenceGptNeoX
{
    public static Tensor Logits(GptNeoXConfig c, IReadOnlyDictionary<string, Tensor> w, long[] ids)
    {
        using var noGrad = no_grad();
        var length = ids.Length;
        var x = w["gpt_neox.embed_in.weight"].index_select(0, tensor(ids)); // [T, d]
        for (var layer = 0; layer < c.NumHiddenLayers; layer++)
        {
            var p = $"gpt_neox.layers.{layer}.";
            var attention = Attention(c, w, p, LayerNorm(x, w[p + "input_layernorm.weight"], w[p + "input_layernorm.bias"], c.LayerNormEps), length);
            if (c.UseParallelResidual)
            {
                var mlp = Mlp(w, p, LayerNorm(x, w[p + "post_attention_layernorm.weight"], w[p + "post_attention_layernorm.bias"], c.LayerNormEps));
                x = x + attention + mlp;
            }
            else
            {
                var h = x + attention;
                x = h + Mlp(w, p, LayerNorm(h, w[p + "post_attention_layernorm.weight"], w[p + "post_attention_layernorm.bias"], c.LayerNormEps));
            }
        }
        x = LayerNorm(x, w["gpt_neox.final_layer_norm.weight"], w["gpt_neox.final_layer_norm.bias"], c.LayerNormEps);
        return matmul(x, w["embed_out.weight"].t());
    }

    private static Tensor LayerNorm(Tensor x, Tensor weight, Tensor bias, double eps)
    {
        var mean = x.mean([-1], keepdim: true);
        var variance = (x - mean).pow(2).mean([-1], keepdim: true);
        return (x - mean) / (variance + eps).sqrt() * weight + bias;
    }

    private static Tensor Mlp(IReadOnlyDictionary<string, Tensor> w, string p, Tensor x)
    {
        var h = matmul(x, w[p + "mlp.dense_h_to_4h.weight"].t()) + w[p + "mlp.dense_h_to_4h.bias"];
        var gelu = 0.5 * h * (1 + special.erf(h / Math.Sqrt(2)));
        return matmul(gelu, w[p + "mlp.dense_4h_to_h.weight"].t()) + w[p + "mlp.dense_4h_to_h.bias"];
    }

    private static Tensor Attention(GptNeoXConfig c, IReadOnlyDictionary<string, Tensor> w, string p, Tensor x, int length)
    {
        var headSize = c.HeadSize;
        var qkv = matmul(x, w[p + "attention.query_key_value.weight"].t()) + w[p + "attention.query_key_value.bias"]; // [T, 3d]
        var heads = new List<Tensor>();
        var mask = ones(length, length).triu(1).to(ScalarType.Bool);
        for (var h = 0; h < c.NumAttentionHeads; h++)
        {
            // Hugging Face's fused layout: per head, q, k and v are consecutive head_size slices.
            var block = qkv.narrow(1, h * 3 * headSize, 3 * headSize);
            var q = Rotate(c, block.narrow(1, 0, headSize), length);
            var k = Rotate(c, block.narrow(1, headSize, headSize), length);
            var v = block.narrow(1, 2 * headSize, headSize);
            var scores = matmul(q, k.t()) / Math.Sqrt(headSize);
            scores = scores.masked_fill(mask, double.NegativeInfinity);
            heads.Add(matmul(scores.softmax(-1), v));
        }
        var merged = cat(heads, 1);
        return matmul(merged, w[p + "attention.dense.weight"].t()) + w[p + "attention.dense.bias"];
    }

    /// <summary>Rotates pairs (i, i + dims/2) of the first rotary dims by position · base^(−2i/dims).</summary>
    private static Tensor Rotate(GptNeoXConfig c, Tensor x, int length)
    {
        var dims = c.RotaryDims;
        var half = dims / 2;
        var cos = new float[length * half];
        var sin = new float[length * half];
        for (var t = 0; t < length; t++)
        for (var i = 0; i < half; i++)
        {
            var angle = t * Math.Pow(c.RotaryEmbBase, -2.0 * i / dims);
            cos[t * half + i] = (float)Math.Cos(angle);
            sin[t * half + i] = (float)Math.Sin(angle);
        }
        var cosT = tensor(cos).view(length, half);
        var sinT = tensor(sin).view(length, half);
        var first = x.narrow(1, 0, half);
        var second = x.narrow(1, half, half);
        var rotatedFirst = first * cosT - second * sinT;
        var rotatedSecond = second * cosT + first * sinT;
        return cat([rotatedFirst, rotatedSecond, x.narrow(1, dims, x.shape[1] - dims)], 1);
    }
}
