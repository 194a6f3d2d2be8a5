using Pipeline.Modelling.Models;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Models;

[Collection(TorchCollection.Name)]
public sealed class GptNeoXModelTests
{
    [Fact]
    public void Parameter_names_are_exactly_the_hugging_face_tensor_names()
    {
        using var model = TinyModels.Create(1);
        var expected = new List<string> { "gpt_neox.embed_in.weight" };
        for (var i = 0; i < 2; i++)
            foreach (var suffix in new[] { "input_layernorm", "post_attention_layernorm", "attention.query_key_value",
                         "attention.dense", "mlp.dense_h_to_4h", "mlp.dense_4h_to_h" })
                expected.AddRange([$"gpt_neox.layers.{i}.{suffix}.weight", $"gpt_neox.layers.{i}.{suffix}.bias"]);
        expected.AddRange(["gpt_neox.final_layer_norm.weight", "gpt_neox.final_layer_norm.bias", "embed_out.weight"]);

        var names = model.named_parameters().Select(p => p.name).ToList();

        Assert.Equal(expected.Order(), names.Order());
        Assert.Equal(new long[] { 3 * 32, 32 }, model.named_parameters().Single(p => p.name == "gpt_neox.layers.0.attention.query_key_value.weight").parameter.shape);
    }

    [Theory]
    [InlineData(ComputePrecision.Float32)]
    [InlineData(ComputePrecision.BFloat16)]
    public void Changing_a_later_token_leaves_earlier_logits_unchanged(ComputePrecision precision)
    {
        using var model = TinyModels.Create(2);
        model.Precision = precision;
        using var scope = NewDisposeScope();
        var ids = TinyModels.RandomIds(3, batch: 2, length: 12, vocab: 64);
        var changed = ids.clone();
        changed[.., 8] = (ids[.., 8] + 1) % 64;

        using var noGrad = no_grad();
        var before = model.forward(ids);
        var after = model.forward(changed);

        var earlierDifference = (before[.., ..8] - after[.., ..8]).abs().max().item<float>();
        var laterDifference = (before[.., 8..] - after[.., 8..]).abs().max().item<float>();
        Assert.True(earlierDifference <= 1e-6f, $"earlier logits moved by {earlierDifference}");
        Assert.True(laterDifference > 1e-4f, "the changed token must affect its own and later logits");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Logits_match_an_independent_reference_implementation(bool parallelResidual)
    {
        var config = TinyModels.Config(parallelResidual: parallelResidual);
        using var model = TinyModels.Create(4, config);
        using var scope = NewDisposeScope();
        var weights = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        long[] ids = [5, 17, 3, 60, 2, 2, 41, 9, 33];

        using var noGrad = no_grad();
        var actual = model.forward(tensor(ids).unsqueeze(0))[0];
        var expected = ReferenceGptNeoX.Logits(config, weights, ids);

        var difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference < 1e-5f, $"max |Δlogits| = {difference}");
    }

    [Theory]
    [InlineData(ComputePrecision.Float32, 1e-5f)]
    [InlineData(ComputePrecision.BFloat16, 0.05f)] // bf16 rounding differs between matmul shapes; a wrong mask or position is off by far more
    public void Forward_with_a_cache_in_chunks_matches_one_full_forward(ComputePrecision precision, float tolerance)
    {
        using var model = TinyModels.Create(5);
        model.Precision = precision;
        using var scope = NewDisposeScope();
        var ids = TinyModels.RandomIds(6, batch: 3, length: 10, vocab: 64);
        using var noGrad = no_grad();
        var full = model.forward(ids);

        using var cache = model.CreateCache(16);
        // A 4-token prefill (causal), a 3-token chunk after a past (explicit mask), then single tokens.
        var pieces = new List<Tensor> { model.Forward(ids[.., ..4], cache), model.Forward(ids[.., 4..7], cache) };
        for (var t = 7; t < 10; t++) pieces.Add(model.Forward(ids[.., t..(t + 1)], cache));
        var chunked = cat(pieces, 1);

        Assert.Equal(10, cache.Length);
        var difference = (full - chunked).abs().max().item<float>() / full.abs().max().item<float>();
        Assert.True(difference < tolerance, $"max |Δlogits| / max |logit| = {difference}");
    }

    [Fact]
    public void BFloat16_precision_keeps_float32_weights_and_gradients_and_returns_float32_logits_near_float32()
    {
        using var model = TinyModels.Create(7);
        using var scope = NewDisposeScope();
        var ids = TinyModels.RandomIds(8, batch: 2, length: 16, vocab: 64);
        var reference = model.forward(ids).detach();

        model.Precision = ComputePrecision.BFloat16;
        var logits = model.forward(ids);
        logits.sum().backward();

        Assert.Equal(ScalarType.Float32, logits.dtype);
        // bfloat16 keeps 8 significant bits (relative error ≈ 2⁻⁸ per rounding): the logits move, but not by much.
        var relative = ((logits - reference).abs().max() / reference.abs().max()).item<float>();
        Assert.InRange(relative, 1e-6f, 0.05f);
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            Assert.Equal(ScalarType.Float32, parameter.grad!.dtype);
        }
    }
}
