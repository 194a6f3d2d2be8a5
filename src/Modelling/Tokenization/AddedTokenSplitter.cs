namespace Pipeline.Modelling.Tokenization;

/// <summary>
/// Cuts the added tokens (such as "&lt;|endoftext|&gt;") out of a text before BPE sees it, as HuggingFace's
/// tokenizers do: scanning left to right, the longest added token starting at a position wins.
/// </summary>
internal sealed class AddedTokenSplitter(IReadOnlyDictionary<string, int> addedTokens)
{
    // Indexed by first character so that scanning a long text costs one dictionary probe per character.
    private readonly Dictionary<char, (string Content, int Id)[]> _byFirstCharacter = addedTokens
        .Where(t => t.Key.Length > 0)
        .GroupBy(t => t.Key[0])
        .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Key.Length).Select(t => (t.Key, t.Value)).ToArray());

    /// <summary>The text as ordered segments: plain text (Id null) or one added token (its id).</summary>
    public IEnumerable<(string Text, int? Id)> Split(string text)
    {
        if (_byFirstCharacter.Count == 0)
        {
            if (text.Length > 0)
                yield return (text, null);
            yield break;
        }

        var plainStart = 0;
        var at = 0;
        while (at < text.Length)
        {
            var found = Match(text, at);
            if (found is null)
            {
                at++;
                continue;
            }
            if (at > plainStart)
                yield return (text[plainStart..at], null);
            yield return (found.Value.Content, found.Value.Id);
            at += found.Value.Content.Length;
            plainStart = at;
        }
        if (plainStart < text.Length)
            yield return (text[plainStart..], null);
    }

    private (string Content, int Id)? Match(string text, int at)
    {
        if (!_byFirstCharacter.TryGetValue(text[at], out var candidates))
            return null;
        foreach (var token in candidates)
            if (text.AsSpan(at).StartsWith(token.Content, StringComparison.Ordinal))
                return token;
        return null;
    }
}
