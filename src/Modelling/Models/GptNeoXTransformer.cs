using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Modelling.Models;

/// <summary>The decoder stack Hugging Face calls GPTNeoXModel (prefix <c>gpt_neox.</c>): embeddings, layers, final norm.</summary>
internal sealed class GptNeoXTransformer : Module<Tensor, ForwardPass, Tensor>
{
    private readonly Embedding embed_in;
    private readonly ModuleList<GptNeoXLayer> layers;
    private readonly LayerNorm final_layer_norm;

    public GptNeoXTransformer(GptNeoXConfig config, RotaryEmbedding rotary) : base("gpt_neox")
    {
        embed_in = nn.Embedding(config.VocabSize, config.HiddenSize);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers)
            .Select(i => new GptNeoXLayer(config, i, rotary)).ToArray());
        final_layer_norm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps);
        RegisterComponents();
    }

    /// <summary>Token ids [B, T] → final-norm hidden states [B, T, hidden], float32.</summary>
    public override Tensor forward(Tensor inputIds, ForwardPass pass)
    {
        var hidden = embed_in.forward(inputIds);
        foreach (var layer in layers)
            hidden = layer.forward(hidden, pass);
        return final_layer_norm.forward(hidden);
    }
}
