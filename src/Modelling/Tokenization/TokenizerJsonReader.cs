using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Modelling.Tokenization;

/// <summary>
/// Reads HuggingFace "tokenizers" files (tokenizer.json) of byte-level BPE models: GPT-2, GPT-NeoX/Pythia, Llama 3
/// and others whose pre-tokenizer is ByteLevel, optionally after Split/Digits steps. SentencePiece-style files
/// (Metaspace pre-tokenizer, byte fallback) are refused with a reason rather than tokenised wrongly.
/// </summary>
internal static class TokenizerJsonReader
{
    public static TokenizerJsonDescription Read(string path)
    {
        using var document = ParseFile(path);
        var root = document.RootElement;
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            throw Invalid(path, "no \"model\" object");
        var modelType = OptionalString(model, "type") ?? "BPE";
        if (modelType != "BPE")
            throw Invalid(path, $"model type {modelType} is not supported (only byte-level BPE)");
        if (OptionalBool(model, "byte_fallback") == true)
            throw Invalid(path, "byte_fallback (SentencePiece-style BPE) is not supported (only byte-level BPE)");
        if (OptionalString(model, "continuing_subword_prefix") is { Length: > 0 } || OptionalString(model, "end_of_word_suffix") is { Length: > 0 })
            throw Invalid(path, "subword prefixes/suffixes are not supported (only byte-level BPE)");

        var (splits, byteLevelRegex, addPrefixSpace) = ReadPreTokenizer(path, root.TryGetProperty("pre_tokenizer", out var pre) ? pre : default);
        return new TokenizerJsonDescription(
            ReadVocabulary(path, model),
            ReadMerges(path, model),
            ReadAddedTokens(path, root),
            ReadNormalizer(path, root.TryGetProperty("normalizer", out var normalizer) ? normalizer : default),
            splits,
            byteLevelRegex,
            addPrefixSpace,
            OptionalBool(model, "ignore_merges") ?? false,
            OptionalString(model, "unk_token"));
    }

    private static JsonDocument ParseFile(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException bad)
        {
            throw Invalid(path, $"not valid JSON: {bad.Message}");
        }
    }

    private static Dictionary<string, int> ReadVocabulary(string path, JsonElement model)
    {
        if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
            throw Invalid(path, "model.vocab must be an object of token → id");
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocab.EnumerateObject())
            vocabulary[entry.Name] = entry.Value.TryGetInt32(out var id) && id >= 0 ? id : throw Invalid(path, $"model.vocab[\"{entry.Name}\"] is not an id");
        return vocabulary;
    }

    /// <summary>Merges come as "a b" strings (older files) or [a, b] pairs (newer files); rank is list order.</summary>
    private static List<string> ReadMerges(string path, JsonElement model)
    {
        var merges = new List<string>();
        if (!model.TryGetProperty("merges", out var list) || list.ValueKind == JsonValueKind.Null)
            return merges;
        if (list.ValueKind != JsonValueKind.Array)
            throw Invalid(path, "model.merges must be an array");
        foreach (var merge in list.EnumerateArray())
        {
            var (left, right) = merge.ValueKind switch
            {
                JsonValueKind.String when merge.GetString()!.Split(' ') is [var a, var b] => (a, b),
                JsonValueKind.Array when merge.GetArrayLength() == 2 && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String
                    => (merge[0].GetString()!, merge[1].GetString()!),
                _ => throw Invalid(path, $"model.merges entry {merges.Count} is neither \"a b\" nor [a, b]"),
            };
            if (left.Contains(' ') || right.Contains(' '))
                throw Invalid(path, $"model.merges entry {merges.Count} has a space inside a token (not a byte-level vocabulary)");
            merges.Add($"{left} {right}");
        }
        return merges;
    }

    private static Dictionary<string, int> ReadAddedTokens(string path, JsonElement root)
    {
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!root.TryGetProperty("added_tokens", out var list) || list.ValueKind != JsonValueKind.Array)
            return added;
        foreach (var token in list.EnumerateArray())
        {
            var content = OptionalString(token, "content") ?? throw Invalid(path, "an added token has no content");
            added[content] = token.TryGetProperty("id", out var id) && id.TryGetInt32(out var value) && value >= 0
                ? value
                : throw Invalid(path, $"added token \"{content}\" has no id");
        }
        return added;
    }

    private static Func<string, string> ReadNormalizer(string path, JsonElement normalizer)
    {
        if (normalizer.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            return text => text;
        var type = OptionalString(normalizer, "type");
        return type switch
        {
            "NFC" => text => text.Normalize(NormalizationForm.FormC),
            "NFD" => text => text.Normalize(NormalizationForm.FormD),
            "NFKC" => text => text.Normalize(NormalizationForm.FormKC),
            "NFKD" => text => text.Normalize(NormalizationForm.FormKD),
            "Lowercase" => text => text.ToLowerInvariant(),
            "Sequence" => Chain(normalizer.GetProperty("normalizers").EnumerateArray().Select(n => ReadNormalizer(path, n)).ToList()),
            _ => throw Invalid(path, $"normalizer {type} is not supported (NFC, NFD, NFKC, NFKD, Lowercase and Sequence are)"),
        };

        static Func<string, string> Chain(List<Func<string, string>> steps) => text => steps.Aggregate(text, (current, step) => step(current));
    }

    private static (List<Regex> Splits, bool ByteLevelRegex, bool AddPrefixSpace) ReadPreTokenizer(string path, JsonElement pre)
    {
        if (pre.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            throw Invalid(path, "no pre_tokenizer: only byte-level BPE (pre_tokenizer ByteLevel) is supported");
        var steps = OptionalString(pre, "type") == "Sequence" ? pre.GetProperty("pretokenizers").EnumerateArray().ToList() : [pre];
        var splits = new List<Regex>();
        bool? byteLevelRegex = null;
        var addPrefixSpace = false;
        foreach (var step in steps)
        {
            var type = OptionalString(step, "type");
            if (byteLevelRegex is not null)
                throw Invalid(path, $"pre_tokenizer step {type} after ByteLevel is not supported");
            switch (type)
            {
                case "ByteLevel":
                    // HuggingFace's defaults when a field is absent: add_prefix_space true, use_regex true.
                    byteLevelRegex = OptionalBool(step, "use_regex") ?? true;
                    addPrefixSpace = OptionalBool(step, "add_prefix_space") ?? true;
                    break;
                case "Split":
                    splits.Add(ReadSplit(path, step));
                    break;
                case "Digits":
                    splits.Add(new Regex(OptionalBool(step, "individual_digits") == true ? @"\p{N}" : @"\p{N}+", RegexOptions.Compiled));
                    break;
                default:
                    throw Invalid(path, $"pre_tokenizer {type} is not supported (only byte-level BPE: ByteLevel, optionally after Split or Digits)");
            }
        }
        if (byteLevelRegex is null)
            throw Invalid(path, "the pre_tokenizer has no ByteLevel step: only byte-level BPE is supported");
        return (splits, byteLevelRegex.Value, addPrefixSpace);
    }

    private static Regex ReadSplit(string path, JsonElement split)
    {
        var behaviour = OptionalString(split, "behavior");
        if (behaviour != "Isolated" || OptionalBool(split, "invert") == true)
            throw Invalid(path, $"Split with behavior {behaviour} (invert {OptionalBool(split, "invert")}) is not supported (only Isolated)");
        var pattern = split.GetProperty("pattern");
        if (OptionalString(pattern, "Regex") is { } regex)
            return new Regex(regex, RegexOptions.Compiled);
        if (OptionalString(pattern, "String") is { } literal)
            return new Regex(Regex.Escape(literal), RegexOptions.Compiled);
        throw Invalid(path, "Split pattern is neither Regex nor String");
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool? OptionalBool(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    private static InvalidDataException Invalid(string path, string reason) => new($"{path}: {reason}");
}
