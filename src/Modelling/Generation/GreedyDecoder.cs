using Pipeline.Modelling.Models;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Generation;

/// <summary>
/// Batched greedy decoding (argmax at every step) of equal-length prefixes. With the cache the prefix is run once and
/// each step feeds only the newest token; without it every step re-runs the whole sequence. Both give the same
/// tokens (up to float rounding in near-ties), so the uncached path is the reference and the baseline.
/// </summary>
public static class GreedyDecoder
{
    /// <summary>
    /// Continues <paramref name="prefixIds"/> [B, P] (int64) by <paramref name="newTokens"/> tokens; returns [B, newTokens]
    /// int64 on the model's device. Runs in inference mode, so the result is an inference tensor (read it; don't train on it in place).
    /// </summary>
    public static Tensor Generate(GptNeoXModel model, Tensor prefixIds, int newTokens, bool useCache)
    {
        if (prefixIds.dim() != 2 || prefixIds.shape[1] == 0)
            throw new ArgumentException("prefix ids must be [batch, length] with length ≥ 1", nameof(prefixIds));
        ArgumentOutOfRangeException.ThrowIfNegative(newTokens);

        var wasTraining = model.training;
        model.eval();
        try
        {
            using var inference = inference_mode();
            var prefix = prefixIds.to(ScalarType.Int64, model.Device);
            return useCache ? WithCache(model, prefix, newTokens) : WithoutCache(model, prefix, newTokens);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static Tensor WithCache(GptNeoXModel model, Tensor prefix, int newTokens)
    {
        var prefixLength = (int)prefix.shape[1];
        var generated = empty([prefix.shape[0], newTokens], ScalarType.Int64, model.Device);
        using var cache = model.CreateCache(prefixLength + newTokens);
        for (var step = 0; step < newTokens; step++)
        {
            using var scope = NewDisposeScope();
            // Step 0 is the prefill; afterwards the input is the token just written (a view, nothing carried across scopes).
            var input = step == 0 ? prefix : generated.narrow(1, step - 1, 1);
            var logits = model.ForwardLast(input, cache);
            generated.narrow(1, step, 1).copy_(logits.argmax(-1, keepdim: true));
        }
        return generated;
    }

    private static Tensor WithoutCache(GptNeoXModel model, Tensor prefix, int newTokens)
    {
        var prefixLength = (int)prefix.shape[1];
        // One buffer for the growing sequence: each step reads a longer prefix of it and writes one column.
        using var sequence = empty([prefix.shape[0], prefixLength + newTokens], ScalarType.Int64, model.Device);
        sequence.narrow(1, 0, prefixLength).copy_(prefix);
        for (var step = 0; step < newTokens; step++)
        {
            using var scope = NewDisposeScope();
            var logits = model.ForwardLast(sequence.narrow(1, 0, prefixLength + step), null);
            sequence.narrow(1, prefixLength + step, 1).copy_(logits.argmax(-1, keepdim: true));
        }
        return sequence.narrow(1, prefixLength, newTokens).clone();
    }
}
