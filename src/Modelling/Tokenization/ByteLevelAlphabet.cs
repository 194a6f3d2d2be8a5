namespace Pipeline.Modelling.Tokenization;

/// <summary>
/// GPT-2's byte-to-character table: byte-level BPE vocabularies spell every byte as a printable character
/// (printable Latin-1 bytes as themselves, the rest from U+0100 upwards, so a space is 'Ġ').
/// </summary>
internal static class ByteLevelAlphabet
{
    /// <summary>GPT-2's pre-tokenisation pattern (contractions, letters, digits, other symbols, whitespace).</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static readonly char[] CharacterOfByte = BuildTable();

    public static string Spell(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var spelled = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
            spelled[i] = CharacterOfByte[bytes[i]];
        return new string(spelled);
    }

    public static char SpellByte(byte value) => CharacterOfByte[value];

    private static char[] BuildTable()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }
}
