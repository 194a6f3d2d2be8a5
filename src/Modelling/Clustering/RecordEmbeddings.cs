using Pipeline.Modelling.Models;
using Pipeline.Modelling.Tokenization;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Clustering;

/// <summary>
/// One vector per text from a language model: the mean over the text's positions of the model's final hidden state
/// (<see cref="GptNeoXModel.HiddenStates"/>), in eval mode and without gradients. Each text is tokenised and cut to the
/// model's context length (MaxPositionEmbeddings, its first tokens kept); a text with no tokens is read as the
/// end-of-text token alone, so every text gets a row. Texts are run in batches, right-padded: the attention is causal, so
/// a real position never sees the padding after it, and the mean covers only the real positions.
/// </summary>
public static class RecordEmbeddings
{
    /// <summary>[N, hidden] float32 on the CPU, row i for texts[i].</summary>
    public static Tensor Embed(GptNeoXModel model, ITextTokenizer tokenizer, IReadOnlyList<string> texts, int batchSize = 8,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(texts);
        if (batchSize < 1)
            throw new ArgumentException("batchSize must be at least 1", nameof(batchSize));
        if (texts.Count == 0)
            return zeros(0, model.Config.HiddenSize);

        var contextLength = model.Config.MaxPositionEmbeddings;
        var sequences = texts.Select(text => TokensOf(tokenizer, text, contextLength)).ToList();
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            var rows = new List<Tensor>();
            foreach (var batch in sequences.Chunk(batchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                rows.Add(MeanHiddenState(model, batch));
            }
            var all = cat(rows.ToArray(), 0);
            foreach (var row in rows) row.Dispose();
            return all;
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    private static long[] TokensOf(ITextTokenizer tokenizer, string text, int contextLength)
    {
        var ids = tokenizer.Encode(text);
        return ids.Count == 0 ? [tokenizer.EndOfTextId] : ids.Take(contextLength).Select(id => (long)id).ToArray();
    }

    /// <summary>[B, hidden] on the CPU: each row's hidden states averaged over its own length.</summary>
    private static Tensor MeanHiddenState(GptNeoXModel model, long[][] batch)
    {
        using var scope = NewDisposeScope();
        var length = batch.Max(s => s.Length);
        var ids = new long[batch.Length * length]; // padding id 0: any valid id, it is masked out of the mean
        var mask = new float[batch.Length * length];
        for (var row = 0; row < batch.Length; row++)
        {
            Array.Copy(batch[row], 0, ids, row * length, batch[row].Length);
            Array.Fill(mask, 1f, row * length, batch[row].Length);
        }
        var hidden = model.HiddenStates(tensor(ids, [batch.Length, length]).to(model.Device)).cpu();
        var weights = tensor(mask, [batch.Length, length]).unsqueeze(2);
        var mean = (hidden * weights).sum(1) / weights.sum(1);
        return mean.MoveToOuterDisposeScope();
    }
}
