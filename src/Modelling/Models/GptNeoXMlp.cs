using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Modelling.Models;

/// <summary>The feed-forward block: dense_h_to_4h → GELU → dense_4h_to_h.</summary>
internal sealed class GptNeoXMlp : Module<Tensor, ForwardPass, Tensor>
{
    private readonly Linear dense_h_to_4h;
    private readonly Linear dense_4h_to_h;
    private readonly bool _tanhGelu;

    public GptNeoXMlp(GptNeoXConfig config) : base("mlp")
    {
        dense_h_to_4h = nn.Linear(config.HiddenSize, config.IntermediateSize);
        dense_4h_to_h = nn.Linear(config.IntermediateSize, config.HiddenSize);
        _tanhGelu = config.UsesTanhGelu;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, ForwardPass pass)
    {
        var expanded = pass.Project(dense_h_to_4h, hidden);
        // Hugging Face's "gelu" is the exact erf form; the "new"/"fast" variants are the tanh approximation.
        var activated = _tanhGelu
            ? nn.functional.gelu(expanded, TorchSharp.Modules.GELU.Approximate.tanh)
            : nn.functional.gelu(expanded);
        return pass.Project(dense_4h_to_h, activated);
    }
}
