namespace Pipeline.Modelling.Tokenization;

/// <summary>Text to token ids and back; the model's embedding has <see cref="VocabularySize"/> rows.</summary>
public interface ITextTokenizer
{
    /// <summary>One more than the largest id this tokenizer produces or accepts.</summary>
    int VocabularySize { get; }

    /// <summary>The id that separates documents in training sequences.</summary>
    int EndOfTextId { get; }

    IReadOnlyList<int> Encode(string text);

    string Decode(IEnumerable<int> ids);
}
