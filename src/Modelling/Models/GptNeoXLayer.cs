using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Modelling.Models;

/// <summary>
/// One transformer block. The residual stream and both layer norms stay float32 whatever the compute precision;
/// only the attention and MLP inputs are cast for their matmuls.
/// </summary>
internal sealed class GptNeoXLayer : Module<Tensor, ForwardPass, Tensor>
{
    private readonly LayerNorm input_layernorm;
    private readonly LayerNorm post_attention_layernorm;
    private readonly GptNeoXAttention attention;
    private readonly GptNeoXMlp mlp;
    private readonly bool _parallelResidual;

    public GptNeoXLayer(GptNeoXConfig config, int layerIndex, RotaryEmbedding rotary) : base($"layer{layerIndex}")
    {
        input_layernorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps);
        post_attention_layernorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps);
        attention = new GptNeoXAttention(config, layerIndex, rotary);
        mlp = new GptNeoXMlp(config);
        _parallelResidual = config.UseParallelResidual;
        RegisterComponents();
    }

    public override Tensor forward(Tensor residual, ForwardPass pass)
    {
        var attended = attention.forward(pass.ToCompute(input_layernorm.forward(residual)), pass).to(residual.dtype);

        // The additions follow Hugging Face's order so float32 results match it as closely as possible.
        if (_parallelResidual)
        {
            // x + attn(ln1(x)) + mlp(ln2(x))
            var fed = mlp.forward(pass.ToCompute(post_attention_layernorm.forward(residual)), pass).to(residual.dtype);
            return fed + attended + residual;
        }

        var afterAttention = attended + residual;
        var afterMlp = mlp.forward(pass.ToCompute(post_attention_layernorm.forward(afterAttention)), pass).to(residual.dtype);
        return afterMlp + afterAttention;
    }
}
