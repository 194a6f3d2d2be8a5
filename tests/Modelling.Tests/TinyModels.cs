using Pipeline.Modelling.Models;
using TorchSharp;

namespace Pipeline.Modelling.Tests;

/// <summary>Seeded tiny GPT-NeoX models: small enough that the whole test project runs in about a minute on two cores.</summary>
internal static class TinyModels
{
    public static GptNeoXConfig Config(int hidden = 32, int heads = 4, int layers = 2, int vocab = 64,
        bool parallelResidual = true, double rotaryPct = 0.5) => new()
    {
        HiddenSize = hidden,
        NumAttentionHeads = heads,
        NumHiddenLayers = layers,
        IntermediateSize = 4 * hidden,
        RotaryPct = rotaryPct,
        RotaryEmbBase = 10000,
        VocabSize = vocab,
        MaxPositionEmbeddings = 256,
        UseParallelResidual = parallelResidual,
        LayerNormEps = 1e-5,
    };

    public static GptNeoXModel Create(long seed, GptNeoXConfig? config = null)
    {
        torch.manual_seed(seed);
        return new GptNeoXModel(config ?? Config());
    }

    public static torch.Tensor RandomIds(long seed, int batch, int length, int vocab)
    {
        var generator = new torch.Generator((ulong)seed);
        return torch.randint(0, vocab, [batch, length], torch.ScalarType.Int64, generator: generator);
    }

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "pipeline-modelling-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
