using Pipeline.Modelling.Tokenization;

namespace Pipeline.Modelling.Checkpoints;

/// <summary>Each checkpoint carries its tokenizer files, so any checkpoint folder loads and decodes on its own.</summary>
public static class TokenizerFiles
{
    private static readonly string[] Names = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", CompactVocabulary.FileName];

    public static void CopyBeside(string sourceFolder, string targetFolder)
    {
        foreach (var name in Names)
        {
            var source = Path.Combine(sourceFolder, name);
            if (File.Exists(source))
                File.Copy(source, Path.Combine(targetFolder, name), overwrite: true);
        }
    }
}
