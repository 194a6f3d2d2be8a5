using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipeline.Modelling.Models;

/// <summary>
/// A GPT-NeoX (Pythia) causal language model laid out as Hugging Face's GPTNeoXForCausalLM, so its parameter names
/// (<c>gpt_neox.layers.0.attention.query_key_value.weight</c>, <c>embed_out.weight</c>, …) are the checkpoint's.
/// </summary>
public sealed class GptNeoXModel : Module<Tensor, Tensor>
{
    private readonly GptNeoXTransformer gpt_neox;
    private readonly Linear embed_out;
    private readonly RotaryEmbedding _rotary;

    /// <summary>Builds the model with Hugging Face's initialisation (normal(0, initializer_range), zero biases), drawn from TorchSharp's global generator.</summary>
    public GptNeoXModel(GptNeoXConfig config) : base(nameof(GptNeoXModel))
    {
        config.Validate();
        Config = config;
        _rotary = new RotaryEmbedding(config.RotaryDims, config.RotaryEmbBase);
        gpt_neox = new GptNeoXTransformer(config, _rotary);
        embed_out = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();
        InitialiseWeights();
    }

    public GptNeoXConfig Config { get; }

    /// <summary>The dtype of the forward pass's matmuls; weights stay float32. Takes effect at the next forward.</summary>
    public ComputePrecision Precision { get; set; } = ComputePrecision.Float32;

    public Device Device => embed_out.weight.device;

    /// <summary>Token ids [B, T] int64 → next-token logits [B, T, vocab] float32.</summary>
    public override Tensor forward(Tensor inputIds) => Forward(inputIds, null);

    /// <summary>
    /// Logits for <paramref name="inputIds"/> [B, T] placed after the cache's positions (0 without a cache);
    /// the step's keys and values are appended to the cache.
    /// </summary>
    public Tensor Forward(Tensor inputIds, KeyValueCache? cache) => Forward(inputIds, cache, lastPositionOnly: false);

    /// <summary>
    /// Logits of the last position only, [B, vocab] float32: what decoding needs, without projecting every position
    /// onto the vocabulary.
    /// </summary>
    public Tensor ForwardLast(Tensor inputIds, KeyValueCache? cache) =>
        Forward(inputIds, cache, lastPositionOnly: true).squeeze(1);

    private Tensor Forward(Tensor inputIds, KeyValueCache? cache, bool lastPositionOnly)
    {
        if (inputIds.dim() != 2)
            throw new ArgumentException($"input ids must be [batch, length], got [{string.Join(", ", inputIds.shape)}]", nameof(inputIds));

        var length = (int)inputIds.shape[1];
        var past = cache?.Length ?? 0;
        var computeType = Precision == ComputePrecision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;
        var (cos, sin) = _rotary.Angles(past, length, Device);
        var pass = new ForwardPass(computeType, cos.to(computeType), sin.to(computeType), cache);

        var hidden = gpt_neox.forward(inputIds, pass);
        if (lastPositionOnly) hidden = hidden.narrow(1, length - 1, 1);
        var logits = pass.Project(embed_out, hidden).to(ScalarType.Float32);
        cache?.Advance(length);
        return logits;
    }

    /// <summary>
    /// The final-layer-norm hidden states [B, T, hidden] float32 for token ids [B, T] — the transformer's output before
    /// the projection onto the vocabulary, for representing texts (see Clustering.RecordEmbeddings). Always computed in
    /// float32 whatever <see cref="Precision"/> says, without a cache, so an embedding does not depend on how the model
    /// was last used for decoding.
    /// </summary>
    public Tensor HiddenStates(Tensor inputIds)
    {
        if (inputIds.dim() != 2)
            throw new ArgumentException($"input ids must be [batch, length], got [{string.Join(", ", inputIds.shape)}]", nameof(inputIds));
        var (cos, sin) = _rotary.Angles(0, (int)inputIds.shape[1], Device);
        var pass = new ForwardPass(ScalarType.Float32, cos.to(ScalarType.Float32), sin.to(ScalarType.Float32), null);
        return gpt_neox.forward(inputIds, pass).to(ScalarType.Float32);
    }

    /// <summary>An empty cache for decoding up to <paramref name="capacity"/> positions (prefix plus new tokens).</summary>
    public KeyValueCache CreateCache(int capacity) => new(Config.NumHiddenLayers, capacity);

    private void InitialiseWeights()
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.Contains("layernorm", StringComparison.Ordinal) || name.Contains("layer_norm", StringComparison.Ordinal))
            {
                if (name.EndsWith(".weight", StringComparison.Ordinal)) parameter.fill_(1.0);
                else parameter.zero_();
            }
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
                parameter.zero_();
            else
                parameter.normal_(0.0, Config.InitializerRange);
        }
    }
}
