using Pipeline.Modelling.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Checkpoints;

/// <summary>Checkpoints in the Hugging Face layout, written by hand the way transformers would, load into the right parameters.</summary>
[Collection(TorchCollection.Name)]
public sealed class HuggingFaceLayoutCheckpointTests
{
    private const string ConfigJson = """
        {"architectures": ["GPTNeoXForCausalLM"], "model_type": "gpt_neox", "hidden_size": 32, "num_attention_heads": 4,
         "num_hidden_layers": 1, "intermediate_size": 128, "rotary_pct": 0.25, "rotary_emb_base": 10000, "vocab_size": 50,
         "max_position_embeddings": 64, "use_parallel_residual": true, "layer_norm_eps": 1e-05, "hidden_act": "gelu",
         "tie_word_embeddings": false, "torch_dtype": "float32", "transformers_version": "4.40.0"}
        """;

    /// <summary>Every HF tensor of a one-layer model, with distinct random values (layer norms near 1 so they matter).</summary>
    private static Dictionary<string, Tensor> HuggingFaceTensors(long seed)
    {
        var g = new Generator((ulong)seed);
        Tensor R(params long[] shape) => randn(shape, generator: g) * 0.2;
        const string p = "gpt_neox.layers.0.";
        return new Dictionary<string, Tensor>
        {
            ["gpt_neox.embed_in.weight"] = R(50, 32),
            [p + "input_layernorm.weight"] = 1 + R(32),
            [p + "input_layernorm.bias"] = R(32),
            [p + "post_attention_layernorm.weight"] = 1 + R(32),
            [p + "post_attention_layernorm.bias"] = R(32),
            [p + "attention.query_key_value.weight"] = R(96, 32),
            [p + "attention.query_key_value.bias"] = R(96),
            [p + "attention.dense.weight"] = R(32, 32),
            [p + "attention.dense.bias"] = R(32),
            [p + "mlp.dense_h_to_4h.weight"] = R(128, 32),
            [p + "mlp.dense_h_to_4h.bias"] = R(128),
            [p + "mlp.dense_4h_to_h.weight"] = R(32, 128),
            [p + "mlp.dense_4h_to_h.bias"] = R(32),
            ["gpt_neox.final_layer_norm.weight"] = 1 + R(32),
            ["gpt_neox.final_layer_norm.bias"] = R(32),
            ["embed_out.weight"] = R(50, 32),
        };
    }

    private static string WriteFolder(IEnumerable<HandWrittenSafeTensors.Item> items)
    {
        var folder = TinyModels.TempFolder();
        File.WriteAllText(Path.Combine(folder, "config.json"), ConfigJson);
        File.WriteAllBytes(Path.Combine(folder, "model.safetensors"), HandWrittenSafeTensors.Bytes(items));
        return folder;
    }

    [Fact]
    public void Every_hugging_face_tensor_lands_in_its_parameter_and_logits_match_a_manual_computation()
    {
        using var scope = NewDisposeScope();
        var tensors = HuggingFaceTensors(21);
        // Older checkpoints also carry these buffers; they must be ignored, not rejected.
        var items = tensors.Select(kv => HandWrittenSafeTensors.Float32(kv.Key, kv.Value)).ToList();
        items.Add(HandWrittenSafeTensors.Float32("gpt_neox.layers.0.attention.bias", ones(1, 1, 64, 64)));
        items.Add(HandWrittenSafeTensors.Float32("gpt_neox.layers.0.attention.masked_bias", tensor(-1e9f)));
        items.Add(HandWrittenSafeTensors.Float32("gpt_neox.layers.0.attention.rotary_emb.inv_freq", ones(4)));
        var folder = WriteFolder(items);

        using var model = CheckpointStore.Load(folder, CPU);

        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(tensors.Keys.Order(), parameters.Keys.Order());
        foreach (var (name, stored) in tensors)
            Assert.True(parameters[name].BitEquals(stored), $"{name} did not land in its parameter");

        long[] ids = [3, 49, 0, 12, 12, 7, 30];
        using var noGrad = no_grad();
        var logits = model.forward(tensor(ids).unsqueeze(0))[0];
        var expected = ReferenceGptNeoX.Logits(model.Config, tensors, ids);
        var difference = (logits - expected).abs().max().item<float>();
        Assert.True(difference < 1e-4f, $"max |Δlogits| = {difference}");
    }

    [Fact]
    public void Float16_stored_weights_load_as_float32_master_weights()
    {
        using var scope = NewDisposeScope();
        var tensors = HuggingFaceTensors(22);
        var folder = WriteFolder(tensors.Select(kv => HandWrittenSafeTensors.Float16(kv.Key, kv.Value)));

        using var model = CheckpointStore.Load(folder, CPU);

        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            var halfRounded = tensors[name].to(ScalarType.Float16).to(ScalarType.Float32);
            Assert.True(parameter.BitEquals(halfRounded), name);
        }
    }

    [Fact]
    public void Sharded_checkpoints_load_through_their_index()
    {
        using var scope = NewDisposeScope();
        var tensors = HuggingFaceTensors(23);
        var folder = TinyModels.TempFolder();
        File.WriteAllText(Path.Combine(folder, "config.json"), ConfigJson);
        var names = tensors.Keys.ToList();
        var halves = new[] { names.Take(8).ToList(), names.Skip(8).ToList() };
        var map = new List<string>();
        for (var s = 0; s < 2; s++)
        {
            var file = $"model-0000{s + 1}-of-00002.safetensors";
            File.WriteAllBytes(Path.Combine(folder, file),
                HandWrittenSafeTensors.Bytes(halves[s].Select(n => HandWrittenSafeTensors.Float32(n, tensors[n]))));
            map.AddRange(halves[s].Select(n => $"\"{n}\": \"{file}\""));
        }
        File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"),
            $"{{\"metadata\": {{\"total_size\": 0}}, \"weight_map\": {{{string.Join(", ", map)}}}}}");

        using var model = CheckpointStore.Load(folder, CPU);

        foreach (var (name, parameter) in model.named_parameters())
            Assert.True(parameter.BitEquals(tensors[name]), name);
    }
}
