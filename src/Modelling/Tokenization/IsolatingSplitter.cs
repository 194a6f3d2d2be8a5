using System.Text.RegularExpressions;

namespace Pipeline.Modelling.Tokenization;

/// <summary>
/// HuggingFace's Split pre-tokenizer with behaviour "Isolated": every match becomes a piece of its own and the
/// text between matches is kept as pieces too, so no character is lost. Several patterns apply one after another.
/// </summary>
internal sealed class IsolatingSplitter(IReadOnlyList<Regex> patterns)
{
    public IReadOnlyList<Regex> Patterns { get; } = patterns;

    public IEnumerable<string> Split(string text)
    {
        IEnumerable<string> pieces = [text];
        foreach (var pattern in Patterns)
            pieces = pieces.SelectMany(piece => SplitOne(piece, pattern)).ToList();
        return pieces;
    }

    private static IEnumerable<string> SplitOne(string text, Regex pattern)
    {
        var at = 0;
        foreach (Match match in pattern.Matches(text))
        {
            if (match.Length == 0)
                continue;
            if (match.Index > at)
                yield return text[at..match.Index];
            yield return match.Value;
            at = match.Index + match.Length;
        }
        if (at < text.Length)
            yield return text[at..];
    }
}
