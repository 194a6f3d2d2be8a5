using System.Text.RegularExpressions;

namespace Pipeline.Modelling.Tokenization;

/// <summary>What HuggingFaceTokenizer needs from a tokenizer.json, already checked to be a byte-level BPE it can run.</summary>
internal sealed record TokenizerJsonDescription(
    IReadOnlyDictionary<string, int> Vocabulary,
    IReadOnlyList<string> Merges,
    IReadOnlyDictionary<string, int> AddedTokens,
    Func<string, string> Normalize,
    IReadOnlyList<Regex> SplitPatterns,
    bool ByteLevelSplitsWithGpt2Pattern,
    bool AddPrefixSpace,
    bool IgnoreMerges,
    string? UnknownToken);
