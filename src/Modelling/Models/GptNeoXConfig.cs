using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Modelling.Models;

/// <summary>
/// The architecture of a GPT-NeoX (Pythia) causal language model, read from and written to a Hugging Face
/// <c>config.json</c> (snake_case keys; unknown keys are ignored).
/// </summary>
public sealed record GptNeoXConfig
{
    public const string GptNeoXModelType = "gpt_neox";
    public const string CausalLmArchitecture = "GPTNeoXForCausalLM";

    public int HiddenSize { get; init; } = 512;
    public int NumAttentionHeads { get; init; } = 8;
    public int NumHiddenLayers { get; init; } = 6;
    public int IntermediateSize { get; init; } = 2048;
    /// <summary>Share of each head's dimensions that rotary position embedding rotates (Pythia: 0.25).</summary>
    public double RotaryPct { get; init; } = 0.25;
    public double RotaryEmbBase { get; init; } = 10000;
    public int VocabSize { get; init; } = 50304;
    public int MaxPositionEmbeddings { get; init; } = 2048;
    /// <summary>true: x + attn(ln1(x)) + mlp(ln2(x)); false: the sequential residual of GPT-2.</summary>
    public bool UseParallelResidual { get; init; } = true;
    public double LayerNormEps { get; init; } = 1e-5;
    /// <summary>"gelu" (exact, erf) as Pythia uses; "gelu_new"/"gelu_fast"/"gelu_pytorch_tanh" take the tanh approximation.</summary>
    public string HiddenAct { get; init; } = "gelu";
    public bool AttentionBias { get; init; } = true;
    public double InitializerRange { get; init; } = 0.02;
    public bool TieWordEmbeddings { get; init; }
    public int? BosTokenId { get; init; }
    public int? EosTokenId { get; init; }

    /// <summary>
    /// Width of one attention head when it is not hidden_size / num_attention_heads: a model whose heads were pruned
    /// keeps the residual width and the remaining heads' width (config key "head_size", written only when set; a
    /// Pipeline extension that transformers does not read).
    /// </summary>
    public int? AttentionHeadSize { get; init; }

    public int HeadSize => AttentionHeadSize ?? HiddenSize / NumAttentionHeads;

    /// <summary>Width of all heads together: the query/key/value projection's output per part and the attention output's input.</summary>
    public int AttentionWidth => NumAttentionHeads * HeadSize;

    /// <summary>Rotated dimensions per head, computed as Hugging Face does: int(head_size * rotary_pct).</summary>
    public int RotaryDims => (int)(HeadSize * RotaryPct);

    /// <summary>Throws <see cref="ArgumentException"/> when the numbers cannot describe a model this code builds.</summary>
    public void Validate()
    {
        Require(HiddenSize > 0 && NumAttentionHeads > 0 && (AttentionHeadSize is > 0 || (AttentionHeadSize is null && HiddenSize % NumAttentionHeads == 0)),
            AttentionHeadSize is null
                ? $"hidden_size {HiddenSize} must be a positive multiple of num_attention_heads {NumAttentionHeads}"
                : $"head_size {AttentionHeadSize} and num_attention_heads {NumAttentionHeads} must be positive");
        Require(NumHiddenLayers > 0, "num_hidden_layers must be positive");
        Require(IntermediateSize > 0, "intermediate_size must be positive");
        Require(VocabSize > 0, "vocab_size must be positive");
        Require(RotaryPct is >= 0 and <= 1, "rotary_pct must lie in [0, 1]");
        Require(RotaryDims % 2 == 0, $"rotary dims {RotaryDims} (head_size × rotary_pct) must be even");
        Require(RotaryEmbBase > 0, "rotary_emb_base must be positive");
        Require(LayerNormEps > 0, "layer_norm_eps must be positive");
        if (TieWordEmbeddings)
            throw new NotSupportedException("tie_word_embeddings true is not supported: GPT-NeoX checkpoints keep embed_out separate");
        if (!UsesExactGelu && !UsesTanhGelu)
            throw new NotSupportedException($"hidden_act '{HiddenAct}' is not supported: use gelu or gelu_new");
    }

    internal bool UsesExactGelu => HiddenAct == "gelu";
    internal bool UsesTanhGelu => HiddenAct is "gelu_new" or "gelu_fast" or "gelu_pytorch_tanh";

    public static GptNeoXConfig Load(string configJsonPath)
    {
        var json = File.ReadAllText(configJsonPath);
        return Parse(json, Path.GetFileName(configJsonPath));
    }

    /// <summary>Reads a config.json body; <paramref name="sourceName"/> names it in error messages.</summary>
    public static GptNeoXConfig Parse(string json, string sourceName = "config.json")
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject
                ?? throw new FormatException($"{sourceName}: the top level is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{sourceName}: not valid JSON ({e.Message})", e);
        }

        var modelType = root["model_type"]?.GetValue<string>();
        if (modelType is not null && modelType != GptNeoXModelType)
            throw new NotSupportedException(
                $"model_type '{modelType}' is not supported: only gpt_neox (Pythia) checkpoints load");

        // Newer transformers releases also spell the rotary settings rope_theta / partial_rotary_factor,
        // sometimes nested under rope_parameters; accept each spelling so their fixtures load.
        var rope = root["rope_parameters"] as JsonObject;
        var defaults = new GptNeoXConfig();
        var config = new GptNeoXConfig
        {
            HiddenSize = Int(root, "hidden_size") ?? defaults.HiddenSize,
            NumAttentionHeads = Int(root, "num_attention_heads") ?? defaults.NumAttentionHeads,
            NumHiddenLayers = Int(root, "num_hidden_layers") ?? defaults.NumHiddenLayers,
            IntermediateSize = Int(root, "intermediate_size") ?? defaults.IntermediateSize,
            RotaryPct = Number(root, "rotary_pct") ?? Number(root, "partial_rotary_factor")
                ?? (rope is null ? null : Number(rope, "partial_rotary_factor")) ?? defaults.RotaryPct,
            RotaryEmbBase = Number(root, "rotary_emb_base") ?? Number(root, "rope_theta")
                ?? (rope is null ? null : Number(rope, "rope_theta")) ?? defaults.RotaryEmbBase,
            VocabSize = Int(root, "vocab_size") ?? defaults.VocabSize,
            MaxPositionEmbeddings = Int(root, "max_position_embeddings") ?? defaults.MaxPositionEmbeddings,
            UseParallelResidual = Bool(root, "use_parallel_residual") ?? defaults.UseParallelResidual,
            LayerNormEps = Number(root, "layer_norm_eps") ?? defaults.LayerNormEps,
            HiddenAct = root["hidden_act"]?.GetValue<string>() ?? defaults.HiddenAct,
            AttentionBias = Bool(root, "attention_bias") ?? defaults.AttentionBias,
            InitializerRange = Number(root, "initializer_range") ?? defaults.InitializerRange,
            TieWordEmbeddings = Bool(root, "tie_word_embeddings") ?? false,
            BosTokenId = Int(root, "bos_token_id"),
            EosTokenId = Int(root, "eos_token_id"),
            AttentionHeadSize = Int(root, "head_size"),
        };
        config.Validate();
        return config;
    }

    public void Save(string path) => File.WriteAllText(path, ToJson());

    public string ToJson()
    {
        var root = new JsonObject
        {
            ["architectures"] = new JsonArray(CausalLmArchitecture),
            ["model_type"] = GptNeoXModelType,
            ["hidden_size"] = HiddenSize,
            ["num_attention_heads"] = NumAttentionHeads,
            ["num_hidden_layers"] = NumHiddenLayers,
            ["intermediate_size"] = IntermediateSize,
            ["rotary_pct"] = RotaryPct,
            ["rotary_emb_base"] = RotaryEmbBase,
            ["vocab_size"] = VocabSize,
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["use_parallel_residual"] = UseParallelResidual,
            ["layer_norm_eps"] = LayerNormEps,
            ["hidden_act"] = HiddenAct,
            ["attention_bias"] = AttentionBias,
            ["initializer_range"] = InitializerRange,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["torch_dtype"] = "float32",
        };
        if (AttentionHeadSize is { } headSize) root["head_size"] = headSize;
        if (BosTokenId is { } bos) root["bos_token_id"] = bos;
        if (EosTokenId is { } eos) root["eos_token_id"] = eos;
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException($"config.json: {message}");
    }

    private static int? Int(JsonObject o, string key) =>
        o[key] is JsonValue v ? (int)v.GetValue<double>() : null;

    private static double? Number(JsonObject o, string key) =>
        o[key] is JsonValue v ? v.GetValue<double>() : null;

    private static bool? Bool(JsonObject o, string key) =>
        o[key] is JsonValue v ? v.GetValue<bool>() : null;
}
