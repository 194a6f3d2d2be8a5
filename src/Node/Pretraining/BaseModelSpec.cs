using Pipeline.Modelling.Models;

namespace Pipeline.Node.Pretraining;

/// <summary>
/// The tiny local base model: GPT-NeoX (Pythia architecture) d=256, 4 layers, 4 heads, rotary on 25% of each head,
/// MLP 4×, context 128, over a compact vocabulary of the GPT-2 ids that sotu and moby-dick use, pretrained on those
/// two corpora for a fixed token budget. Everything here goes into the cache key.
/// </summary>
public sealed record BaseModelSpec
{
    public IReadOnlyList<string> Corpora { get; init; } = ["sotu", "moby-dick"];
    public int VocabularySize { get; init; } = 4096;
    public int HiddenSize { get; init; } = 256;
    public int Layers { get; init; } = 4;
    public int Heads { get; init; } = 4;
    public int ContextLength { get; init; } = 128;
    public int BatchSize { get; init; } = 16;
    public double LearningRate { get; init; } = 1e-3;
    public long TokenBudget { get; init; } = 2_000_000;
    public int Seed { get; init; } = 1234;
    public string Precision { get; init; } = "auto";

    /// <summary>Bumped when the way the model is built changes, so old cached models are not reused.</summary>
    public int BuilderVersion { get; init; } = 1;

    public GptNeoXConfig ModelConfig(int vocabularySize) => new()
    {
        HiddenSize = HiddenSize,
        NumAttentionHeads = Heads,
        NumHiddenLayers = Layers,
        IntermediateSize = 4 * HiddenSize,
        RotaryPct = 0.25,
        VocabSize = vocabularySize,
        MaxPositionEmbeddings = Math.Max(ContextLength, 512),
        UseParallelResidual = true,
    };
}
