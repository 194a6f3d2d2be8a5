using Pipeline.Modelling.Models;
using TorchSharp.Modules;

namespace Pipeline.Modelling.Compression;

/// <summary>
/// The weights unstructured pruning removes from: the weight matrices of the transformer layers (query-key-value,
/// attention output, both MLP projections). The embeddings, the output projection, biases and layer norms stay dense:
/// they are a small share of the layers' parameters at scale, and removing rows of the embedding removes tokens.
/// </summary>
public static class PrunableWeights
{
    public static IReadOnlyList<(string Name, Parameter Weight)> Of(GptNeoXModel model) =>
        model.named_parameters()
            .Where(p => p.name.StartsWith("gpt_neox.layers.", StringComparison.Ordinal) && p.name.EndsWith(".weight", StringComparison.Ordinal) && p.parameter.dim() == 2)
            .Select(p => (p.name, p.parameter))
            .ToList();
}
