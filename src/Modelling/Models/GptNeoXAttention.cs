using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Modelling.Models;

/// <summary>
/// Causal multi-head self-attention with GPT-NeoX's fused query_key_value projection. Its output features are laid
/// out per head as [q | k | v] (head_dim each), so the projection is viewed as (B, T, heads, 3·head_dim) and then split.
/// </summary>
internal sealed class GptNeoXAttention : Module<Tensor, ForwardPass, Tensor>
{
    // Field names are the Hugging Face parameter names (RegisterComponents uses them).
    private readonly Linear query_key_value;
    private readonly Linear dense;

    private readonly int _layerIndex;
    private readonly int _heads;
    private readonly int _headSize;
    private readonly RotaryEmbedding _rotary;

    public GptNeoXAttention(GptNeoXConfig config, int layerIndex, RotaryEmbedding rotary) : base("attention")
    {
        query_key_value = nn.Linear(config.HiddenSize, 3 * config.AttentionWidth, hasBias: config.AttentionBias);
        dense = nn.Linear(config.AttentionWidth, config.HiddenSize, hasBias: config.AttentionBias);
        _layerIndex = layerIndex;
        _heads = config.NumAttentionHeads;
        _headSize = config.HeadSize;
        _rotary = rotary;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, ForwardPass pass)
    {
        var batch = hidden.shape[0];
        var length = hidden.shape[1];

        var qkv = pass.Project(query_key_value, hidden)
            .view(batch, length, _heads, 3 * _headSize)
            .permute(0, 2, 1, 3);
        var query = _rotary.Apply(qkv.narrow(-1, 0, _headSize), pass.Cos, pass.Sin);
        var key = _rotary.Apply(qkv.narrow(-1, _headSize, _headSize), pass.Cos, pass.Sin);
        var value = qkv.narrow(-1, 2 * _headSize, _headSize);

        var past = pass.PastLength;
        if (pass.Cache is { } cache)
            (key, value) = cache.Append(_layerIndex, key, value);

        var attended = Attend(query, key, value, past, length);
        var merged = attended.transpose(1, 2).reshape(batch, length, _heads * _headSize);
        return pass.Project(dense, merged);
    }

    /// <summary>
    /// Scaled dot-product attention (scale 1/√head_dim) where query i (at position past+i) sees keys 0..past+i.
    /// Float32 uses libtorch's fused kernel. For bfloat16 an explicit QKᵀ → float32 softmax → AV is both more
    /// accurate (the softmax runs in float32, as autocast would) and, on CPU, over twice as fast forward+backward
    /// as the fused kernel's bfloat16 path in libtorch 2.10 (measured on the reference configuration).
    /// </summary>
    private static Tensor Attend(Tensor query, Tensor key, Tensor value, int past, long length)
    {
        return query.dtype == ScalarType.Float32
            ? FusedAttention(query, key, value, past, length)
            : ExplicitAttention(query, key, value, past, length);
    }

    /// <summary>
    /// PyTorch's is_causal flag aligns its triangle to the top-left corner, which is right only without a past;
    /// a single new query may see every key; anything else gets an explicit mask.
    /// </summary>
    private static Tensor FusedAttention(Tensor query, Tensor key, Tensor value, int past, long length)
    {
        if (past == 0)
            return nn.functional.scaled_dot_product_attention(query, key, value, null, 0.0, length > 1);
        if (length == 1)
            return nn.functional.scaled_dot_product_attention(query, key, value, null, 0.0, false);

        var allowed = ones([length, past + length], ScalarType.Bool, query.device).tril(past);
        return nn.functional.scaled_dot_product_attention(query, key, value, allowed, 0.0, false);
    }

    private static Tensor ExplicitAttention(Tensor query, Tensor key, Tensor value, int past, long length)
    {
        var scores = matmul(query, key.transpose(-1, -2)).to(ScalarType.Float32) * (1.0 / Math.Sqrt(query.shape[^1]));
        if (length > 1)
        {
            var blocked = ones([length, past + length], ScalarType.Bool, query.device).triu(past + 1);
            scores = scores.masked_fill(blocked, double.NegativeInfinity);
        }
        return matmul(scores.softmax(-1).to(query.dtype), value);
    }
}
