using TorchSharp;
using Pipeline.Modelling.Models;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Compression;

/// <summary>Which units structured pruning removes whole.</summary>
public enum StructuredUnit
{
    /// <summary>MLP intermediate neurons: a row of dense_h_to_4h (and its bias) with the matching column of dense_4h_to_h.</summary>
    Neurons,

    /// <summary>Attention heads: the head's query, key and value rows of query_key_value (and biases) with its columns of dense.</summary>
    Heads,
}

/// <summary>
/// Removes whole neurons or heads, physically: the result is a smaller model with a smaller config (intermediate_size,
/// or num_attention_heads with head_size kept) whose matrices hold only the kept units; the residual width is untouched.
/// Each unit's damage is the sum of the element saliencies (<see cref="Saliency"/>) of the weights it owns; every layer
/// loses the same number of units (round(share · units), at least one kept), its least damaging ones, so the config
/// stays uniform. The smaller model computes exactly what the original computes with those units' weights zeroed
/// (<see cref="ZeroRemoved"/>): a zeroed neuron's GELU(0) is 0, and a zeroed head attends with zero values.
/// </summary>
public static class StructuredPruning
{
    /// <summary>Per layer, the indexes of the units to keep (sorted).</summary>
    public static IReadOnlyList<long[]> Choose(GptNeoXModel model, StructuredUnit unit, IReadOnlyDictionary<string, Tensor> saliency, double share)
    {
        if (!(share > 0 && share < 1)) throw new ArgumentOutOfRangeException(nameof(share), "the share of units to remove must be in (0, 1)");
        var config = model.Config;
        var units = unit == StructuredUnit.Neurons ? config.IntermediateSize : config.NumAttentionHeads;
        var keep = Math.Max(1, units - (int)Math.Round(share * units));
        var chosen = new List<long[]>();
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            using var scope = NewDisposeScope();
            var scores = UnitScores(config, unit, layer, saliency);
            var (_, order) = scores.sort(0, descending: true, stable: true);
            chosen.Add(order.narrow(0, 0, keep).data<long>().ToArray().Order().ToArray());
        }
        return chosen;
    }

    /// <summary>A new, smaller model holding only the kept units (the caller owns and disposes it).</summary>
    public static GptNeoXModel Remove(GptNeoXModel model, StructuredUnit unit, IReadOnlyList<long[]> kept)
    {
        var config = model.Config;
        var smaller = unit == StructuredUnit.Neurons
            ? config with { IntermediateSize = kept[0].Length }
            : config with { NumAttentionHeads = kept[0].Length, AttentionHeadSize = config.HeadSize };
        var result = new GptNeoXModel(smaller);
        var source = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        foreach (var (name, target) in result.named_parameters())
        {
            using var scope = NewDisposeScope();
            target.copy_(Slice(name, source[name], unit, kept, config));
        }
        result.to(model.Device);
        return result;
    }

    /// <summary>Zeroes the removed units' weights in place (the masked model the smaller one must equal).</summary>
    public static void ZeroRemoved(GptNeoXModel model, StructuredUnit unit, IReadOnlyList<long[]> kept)
    {
        var config = model.Config;
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (LayerOf(name) is not { } layer) continue;
            var units = unit == StructuredUnit.Neurons ? config.IntermediateSize : config.NumAttentionHeads;
            var removed = Enumerable.Range(0, units).Select(i => (long)i).Except(kept[layer]).ToArray();
            if (removed.Length == 0) continue;
            foreach (var (dimension, index) in Indexes(name, unit, removed, config))
            {
                using var scope = NewDisposeScope();
                parameter.index_fill_(dimension, tensor(index), 0);
            }
        }
    }

    private static Tensor UnitScores(GptNeoXConfig config, StructuredUnit unit, int layer, IReadOnlyDictionary<string, Tensor> saliency)
    {
        var prefix = $"gpt_neox.layers.{layer}.";
        if (unit == StructuredUnit.Neurons)
            return saliency[prefix + "mlp.dense_h_to_4h.weight"].sum(1) + saliency[prefix + "mlp.dense_4h_to_h.weight"].sum(0);
        var heads = config.NumAttentionHeads;
        var qkv = saliency[prefix + "attention.query_key_value.weight"].reshape(heads, 3 * config.HeadSize, config.HiddenSize).sum([1, 2]);
        var output = saliency[prefix + "attention.dense.weight"].reshape(config.HiddenSize, heads, config.HeadSize).sum([0, 2]);
        return qkv + output;
    }

    private static Tensor Slice(string name, Tensor source, StructuredUnit unit, IReadOnlyList<long[]> kept, GptNeoXConfig config)
    {
        if (LayerOf(name) is not { } layer) return source;
        var result = source;
        foreach (var (dimension, index) in Indexes(name, unit, kept[layer], config))
            result = result.index_select(dimension, tensor(index));
        return result;
    }

    /// <summary>For one parameter: along which dimension which element indexes belong to the given units (none if the parameter has no units).</summary>
    private static IEnumerable<(long Dimension, long[] Index)> Indexes(string name, StructuredUnit unit, long[] units, GptNeoXConfig config)
    {
        if (unit == StructuredUnit.Neurons)
        {
            if (name.EndsWith("mlp.dense_h_to_4h.weight", StringComparison.Ordinal) || name.EndsWith("mlp.dense_h_to_4h.bias", StringComparison.Ordinal))
                yield return (0, units);
            else if (name.EndsWith("mlp.dense_4h_to_h.weight", StringComparison.Ordinal))
                yield return (1, units);
            yield break;
        }
        var headSize = config.HeadSize;
        // query_key_value's output is laid out per head: [head][q|k|v][head_size], as transformers' GPT-NeoX views it.
        if (name.EndsWith("attention.query_key_value.weight", StringComparison.Ordinal) || name.EndsWith("attention.query_key_value.bias", StringComparison.Ordinal))
            yield return (0, units.SelectMany(h => Enumerable.Range(0, 3 * headSize).Select(i => h * 3 * headSize + i)).ToArray());
        else if (name.EndsWith("attention.dense.weight", StringComparison.Ordinal))
            yield return (1, units.SelectMany(h => Enumerable.Range(0, headSize).Select(i => h * headSize + i)).ToArray());
    }

    private static int? LayerOf(string name)
    {
        const string prefix = "gpt_neox.layers.";
        if (!name.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var end = name.IndexOf('.', prefix.Length);
        return int.Parse(name.AsSpan(prefix.Length, end - prefix.Length));
    }
}
