using Pipeline.Modelling.Models;

namespace Pipeline.Lab.Benchmarks.Models;

/// <summary>The fixed configuration the performance figures are stated for (the reference run).</summary>
public static class ReferenceModel
{
    /// <summary>GPT-NeoX, d=256, 4 layers, 4 heads, rotary_pct 0.25, MLP 4× (1024), vocab 4096.</summary>
    public static GptNeoXConfig Config { get; } = new()
    {
        HiddenSize = 256,
        NumAttentionHeads = 4,
        NumHiddenLayers = 4,
        IntermediateSize = 1024,
        RotaryPct = 0.25,
        RotaryEmbBase = 10000,
        VocabSize = 4096,
        MaxPositionEmbeddings = 2048,
        UseParallelResidual = true,
        LayerNormEps = 1e-5,
    };

    public const int ContextLength = 128;
    public const int BatchSize = 16;
    public const int Threads = 2;
}
