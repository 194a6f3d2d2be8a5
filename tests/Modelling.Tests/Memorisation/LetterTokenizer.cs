using Pipeline.Modelling.Tokenization;

namespace Pipeline.Modelling.Tests.Memorisation;

/// <summary>
/// One token per lower-case letter ('a' → 1 … 'z' → 26; 0 is end-of-text): token positions are letter positions,
/// so expected prefixes and targets can be read straight off the text.
/// </summary>
public sealed class LetterTokenizer : ITextTokenizer
{
    public int VocabularySize => 27;

    public int EndOfTextId => 0;

    public IReadOnlyList<int> Encode(string text) =>
        text.Select(c => c is >= 'a' and <= 'z' ? c - 'a' + 1 : throw new ArgumentException($"not a lower-case letter: '{c}'")).ToArray();

    public string Decode(IEnumerable<int> ids) => string.Concat(ids.Select(id => (char)('a' + id - 1)));

    /// <summary>Seeded random letters.</summary>
    public static string RandomText(Random random, int length) =>
        string.Concat(Enumerable.Range(0, length).Select(_ => (char)('a' + random.Next(26))));
}
