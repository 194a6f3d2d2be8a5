using System.Text;

namespace Pipeline.Modelling.Tokenization;

/// <summary>
/// An inner tokenizer (GPT-2 by default) seen through a <see cref="CompactVocabulary"/>: ids are the dense ones.
/// Inner ids the vocabulary did not keep encode to &lt;unk&gt;, which decodes to the visible marker
/// <see cref="UnknownMarker"/> (the original text is lost, so the marker says so instead of guessing).
/// </summary>
public sealed class CompactTokenizer(ITextTokenizer inner, CompactVocabulary map) : ITextTokenizer
{
    public const string UnknownMarker = "<unk>";

    public ITextTokenizer Inner { get; } = inner;

    public CompactVocabulary Map { get; } = map;

    public int VocabularySize => Map.Size;

    public int EndOfTextId => CompactVocabulary.EndOfTextId;

    public IReadOnlyList<int> Encode(string text) => Inner.Encode(text).Select(Map.ToDense).ToArray();

    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        var run = new List<int>();
        foreach (var id in ids)
        {
            if (Map.ToInner(id) is { } innerId)
            {
                run.Add(innerId);
                continue;
            }
            Flush();
            text.Append(UnknownMarker);
        }
        Flush();
        return text.ToString();

        // Runs decode together so that multi-token characters (UTF-8 split across byte-level tokens) stay whole.
        void Flush()
        {
            if (run.Count == 0)
                return;
            text.Append(Inner.Decode(run));
            run.Clear();
        }
    }
}
