using System.Text.Json.Nodes;
using Pipeline.Modelling.Models;

namespace Pipeline.Modelling.Tests.Models;

public sealed class GptNeoXConfigTests
{
    [Fact]
    public void Save_then_Load_round_trips_every_field_with_hugging_face_keys()
    {
        var config = TinyModels.Config(hidden: 48, heads: 6, layers: 3, vocab: 100, parallelResidual: false, rotaryPct: 0.25)
            with { RotaryEmbBase = 500, LayerNormEps = 1e-6, MaxPositionEmbeddings = 77, EosTokenId = 0 };
        var path = Path.Combine(TinyModels.TempFolder(), "config.json");

        config.Save(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var loaded = GptNeoXConfig.Load(path);

        Assert.Equal(config, loaded);
        Assert.Equal("gpt_neox", (string?)json["model_type"]);
        Assert.Equal("GPTNeoXForCausalLM", (string?)json["architectures"]![0]);
        Assert.False((bool)json["tie_word_embeddings"]!);
        foreach (var key in new[] { "hidden_size", "num_attention_heads", "num_hidden_layers", "intermediate_size", "rotary_pct",
                     "rotary_emb_base", "vocab_size", "max_position_embeddings", "use_parallel_residual", "layer_norm_eps" })
            Assert.True(json.ContainsKey(key), key);
    }

    [Fact]
    public void Pythia_config_loads_ignoring_unknown_fields()
    {
        const string pythia70m = """
            {"architectures": ["GPTNeoXForCausalLM"], "bos_token_id": 0, "eos_token_id": 0, "hidden_act": "gelu",
             "hidden_size": 512, "initializer_range": 0.02, "intermediate_size": 2048, "layer_norm_eps": 1e-05,
             "max_position_embeddings": 2048, "model_type": "gpt_neox", "num_attention_heads": 8, "num_hidden_layers": 6,
             "rotary_emb_base": 10000, "rotary_pct": 0.25, "tie_word_embeddings": false, "torch_dtype": "float16",
             "transformers_version": "4.24.0", "use_cache": true, "use_parallel_residual": true, "vocab_size": 50304,
             "some_future_field": {"nested": [1, 2]}}
            """;

        var config = GptNeoXConfig.Parse(pythia70m);

        Assert.Equal(512, config.HiddenSize);
        Assert.Equal(16, config.RotaryDims);
        Assert.Equal(50304, config.VocabSize);
        Assert.True(config.UseParallelResidual);
    }

    [Fact]
    public void Newer_transformers_rope_spellings_are_read()
    {
        var config = GptNeoXConfig.Parse("""
            {"model_type": "gpt_neox", "hidden_size": 64, "num_attention_heads": 4, "num_hidden_layers": 1,
             "intermediate_size": 256, "vocab_size": 10, "rope_parameters": {"rope_theta": 123.0, "partial_rotary_factor": 0.5}}
            """);

        Assert.Equal(123.0, config.RotaryEmbBase);
        Assert.Equal(0.5, config.RotaryPct);
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("mistral")]
    public void Other_model_types_are_refused_with_a_clear_message(string modelType)
    {
        var error = Assert.Throws<NotSupportedException>(() =>
            GptNeoXConfig.Parse($$"""{"model_type": "{{modelType}}", "hidden_size": 64}"""));

        Assert.Equal($"model_type '{modelType}' is not supported: only gpt_neox (Pythia) checkpoints load", error.Message);
    }
}
