using Pipeline.Modelling.Data;
using Pipeline.Modelling.Tokenization;

namespace Pipeline.Modelling.Memorisation;

/// <summary>
/// A record cut into the prefix the model is given and the target it should not be able to reproduce.
/// <list type="bullet">
/// <item>Text records: tokenised exactly as training tokenises them (<c>Encode(FullText)</c>), so the prefix and target
/// are positions 0..P-1 and P..P+S-1 of the training token stream. Shorter than P + S tokens: not scored.</item>
/// <item>Prompt/response pairs: prompt and response are tokenised separately; the target is the first S response
/// tokens (all of a shorter response), the prefix the last P prompt tokens (all of a shorter prompt), so that the
/// target always follows its prefix directly. An empty prompt or response: not scored.</item>
/// </list>
/// </summary>
public sealed record MemorisationProbe(int[] Prefix, int[] Target)
{
    /// <summary>The record's probe, or null when it is too short to score.</summary>
    public static MemorisationProbe? From(TextRecord record, ITextTokenizer tokenizer, MemorisationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.IsPair)
        {
            var ids = tokenizer.Encode(record.FullText);
            var needed = settings.PrefixTokens + settings.SuffixTokens;
            return ids.Count < needed ? null : new MemorisationProbe(Slice(ids, 0, settings.PrefixTokens), Slice(ids, settings.PrefixTokens, settings.SuffixTokens));
        }

        var prompt = tokenizer.Encode(record.Prompt!);
        var response = tokenizer.Encode(record.Response!);
        if (prompt.Count == 0 || response.Count == 0) return null;
        var prefixLength = Math.Min(prompt.Count, settings.PrefixTokens);
        return new MemorisationProbe(
            Slice(prompt, prompt.Count - prefixLength, prefixLength),
            Slice(response, 0, Math.Min(response.Count, settings.SuffixTokens)));
    }

    private static int[] Slice(IReadOnlyList<int> ids, int start, int count)
    {
        var slice = new int[count];
        for (var i = 0; i < count; i++) slice[i] = ids[start + i];
        return slice;
    }
}
