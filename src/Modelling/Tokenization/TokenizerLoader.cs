namespace Pipeline.Modelling.Tokenization;

/// <summary>Picks the tokenizer a checkpoint folder was trained with.</summary>
public static class TokenizerLoader
{
    /// <summary>
    /// The folder's tokenizer.json (a HuggingFace checkpoint) if present; else its vocab-map.json over GPT-2
    /// (the tiny local model); else plain GPT-2.
    /// </summary>
    public static ITextTokenizer ForCheckpoint(string folder)
    {
        if (File.Exists(Path.Combine(folder, "tokenizer.json")))
            return HuggingFaceTokenizer.Load(Path.Combine(folder, "tokenizer.json"));
        var map = Path.Combine(folder, CompactVocabulary.FileName);
        if (File.Exists(map))
        {
            var vocabulary = CompactVocabulary.Load(map);
            if (vocabulary.InnerTokenizer != "gpt2")
                throw new InvalidDataException($"{map}: maps ids of tokenizer '{vocabulary.InnerTokenizer}', but only 'gpt2' can be loaded under it");
            return new CompactTokenizer(new Gpt2Tokenizer(), vocabulary);
        }
        return new Gpt2Tokenizer();
    }
}
