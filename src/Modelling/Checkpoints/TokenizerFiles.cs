using Pipeline.Modelling.Storage;
using Pipeline.Modelling.Tokenization;

namespace Pipeline.Modelling.Checkpoints;

/// <summary>Each checkpoint carries its tokenizer files, so any checkpoint folder loads and decodes on its own.</summary>
public static class TokenizerFiles
{
    private static readonly string[] Names = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", CompactVocabulary.FileName];

    /// <summary>Copies through a temp file and a rename (a full disk leaves no truncated tokenizer under its final name).</summary>
    public static void CopyBeside(string sourceFolder, string targetFolder)
    {
        foreach (var name in Names)
        {
            var source = Path.Combine(sourceFolder, name);
            if (File.Exists(source))
                AtomicFile.Write(Path.Combine(targetFolder, name), target =>
                {
                    using var input = File.OpenRead(source);
                    input.CopyTo(target);
                });
        }
    }
}
