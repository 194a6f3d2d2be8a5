using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Pipeline.Modelling.Tokenization;

/// <summary>
/// A checkpoint's own tokenizer, read from its HuggingFace tokenizer.json (byte-level BPE: GPT-2, GPT-NeoX/Pythia,
/// Llama 3). Encoding follows the HuggingFace pipeline: normalizer, then added tokens cut out (longest match first),
/// then the Split steps and the ByteLevel step, then BPE through Microsoft.ML.Tokenizers' BpeTokenizer.
/// No post-processor runs: Encode never adds BOS/EOS tokens; training code adds <see cref="EndOfTextId"/> itself.
/// Decoding writes added tokens (special or not) as their text.
/// </summary>
public sealed class HuggingFaceTokenizer : ITextTokenizer
{
    /// <summary>End-of-text tokens of well-known families, tried when the folder does not name its eos token.</summary>
    private static readonly string[] KnownEndOfTextTokens = ["<|endoftext|>", "<|end_of_text|>", "</s>", "<eos>", "<|eot_id|>"];

    private readonly TokenizerJsonDescription _description;
    private readonly BpeTokenizer _bpe;
    private readonly AddedTokenSplitter _addedTokens;
    private readonly IsolatingSplitter _splitter;
    private readonly Dictionary<int, string> _addedTokenText;
    private readonly HashSet<int> _vocabularyIds;

    private HuggingFaceTokenizer(string path, TokenizerJsonDescription description, int? endOfTextIdFromFolder)
    {
        Source = path;
        _description = description;
        _bpe = BpeTokenizer.Create(new BpeOptions(description.Vocabulary)
        {
            Merges = description.Merges,
            ByteLevel = true,
            PreTokenizer = WholeInputPreTokenizer.Instance,
            UnknownToken = description.UnknownToken,
        });
        _addedTokens = new AddedTokenSplitter(description.AddedTokens);
        var patterns = description.SplitPatterns.ToList();
        if (description.ByteLevelSplitsWithGpt2Pattern)
            patterns.Add(new Regex(ByteLevelAlphabet.Gpt2Pattern, RegexOptions.Compiled));
        _splitter = new IsolatingSplitter(patterns);
        _addedTokenText = description.AddedTokens.GroupBy(t => t.Value).ToDictionary(g => g.Key, g => g.First().Key);
        _vocabularyIds = [.. description.Vocabulary.Values];
        VocabularySize = _vocabularyIds.Concat(_addedTokenText.Keys).DefaultIfEmpty(-1).Max() + 1;
        EndOfTextId = endOfTextIdFromFolder ?? FindKnownEndOfText(path);
    }

    /// <summary>The tokenizer.json this was read from.</summary>
    public string Source { get; }

    /// <summary>One more than the largest token id (the model's embedding may be padded beyond it).</summary>
    public int VocabularySize { get; }

    public int EndOfTextId { get; }

    /// <summary>
    /// Reads <paramref name="tokenizerJsonOrFolder"/> (a tokenizer.json, or a folder holding one). The end-of-text id
    /// is the folder's tokenizer_config.json eos_token, else its config.json eos_token_id, else a well-known token.
    /// </summary>
    public static HuggingFaceTokenizer Load(string tokenizerJsonOrFolder)
    {
        var path = Directory.Exists(tokenizerJsonOrFolder) ? Path.Combine(tokenizerJsonOrFolder, "tokenizer.json") : tokenizerJsonOrFolder;
        if (!File.Exists(path))
            throw new FileNotFoundException($"no tokenizer.json at {path}", path);
        var description = TokenizerJsonReader.Read(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return new HuggingFaceTokenizer(path, description, EndOfTextNamedBy(folder, description));
    }

    public IReadOnlyList<int> Encode(string text)
    {
        var ids = new List<int>();
        foreach (var (segment, addedId) in _addedTokens.Split(_description.Normalize(text)))
        {
            if (addedId is { } id)
            {
                ids.Add(id);
                continue;
            }
            var plain = _description.AddPrefixSpace && !segment.StartsWith(' ') ? " " + segment : segment;
            foreach (var piece in _splitter.Split(plain))
            {
                // ignore_merges (Llama 3): a piece that is a whole vocabulary entry is that entry, whatever the merges say.
                if (_description.IgnoreMerges && _description.Vocabulary.TryGetValue(ByteLevelAlphabet.Spell(piece), out var whole))
                    ids.Add(whole);
                else
                    ids.AddRange(_bpe.EncodeToIds(piece));
            }
        }
        return ids;
    }

    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        var run = new List<int>();
        foreach (var id in ids)
        {
            if (_addedTokenText.TryGetValue(id, out var added))
            {
                Flush();
                text.Append(added);
            }
            else if (_vocabularyIds.Contains(id))
            {
                run.Add(id);
            }
            else
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"id {id} is not in {Source}");
            }
        }
        Flush();
        return text.ToString();

        // Consecutive BPE ids decode together, so a character whose UTF-8 bytes span several tokens comes out whole.
        void Flush()
        {
            if (run.Count == 0)
                return;
            text.Append(_bpe.Decode(run));
            run.Clear();
        }
    }

    private static int? EndOfTextNamedBy(string folder, TokenizerJsonDescription description)
    {
        var tokenizerConfig = Path.Combine(folder, "tokenizer_config.json");
        if (File.Exists(tokenizerConfig))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(tokenizerConfig));
            if (document.RootElement.TryGetProperty("eos_token", out var eos))
            {
                var content = eos.ValueKind == JsonValueKind.String ? eos.GetString()
                    : eos.ValueKind == JsonValueKind.Object && eos.TryGetProperty("content", out var c) ? c.GetString() : null;
                if (content is not null && (description.AddedTokens.TryGetValue(content, out var id) || description.Vocabulary.TryGetValue(content, out id)))
                    return id;
            }
        }

        var modelConfig = Path.Combine(folder, "config.json");
        if (File.Exists(modelConfig))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(modelConfig));
            if (document.RootElement.TryGetProperty("eos_token_id", out var eos))
            {
                if (eos.ValueKind == JsonValueKind.Number && eos.TryGetInt32(out var id))
                    return id;
                if (eos.ValueKind == JsonValueKind.Array && eos.GetArrayLength() > 0 && eos[0].TryGetInt32(out var first))
                    return first;
            }
        }

        foreach (var name in KnownEndOfTextTokens)
            if (description.AddedTokens.TryGetValue(name, out var id) || description.Vocabulary.TryGetValue(name, out id))
                return id;
        return null;
    }

    private static int FindKnownEndOfText(string path) =>
        throw new InvalidDataException(
            $"{path}: no end-of-text token: name it as eos_token in tokenizer_config.json or eos_token_id in config.json beside it " +
            $"(or use one of {string.Join(", ", KnownEndOfTextTokens)})");
}
