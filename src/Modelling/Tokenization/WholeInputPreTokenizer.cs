using Microsoft.ML.Tokenizers;

namespace Pipeline.Modelling.Tokenization;

/// <summary>
/// Hands the whole input to the BPE model as one word. HuggingFaceTokenizer splits text itself (added tokens,
/// the file's Split patterns, the byte-level pattern); Microsoft.ML.Tokenizers would otherwise split at whitespace
/// and drop it.
/// </summary>
internal sealed class WholeInputPreTokenizer : PreTokenizer
{
    public static readonly WholeInputPreTokenizer Instance = new();

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) =>
        string.IsNullOrEmpty(text) ? [] : [(0, text.Length)];

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) =>
        text.IsEmpty ? [] : [(0, text.Length)];
}
