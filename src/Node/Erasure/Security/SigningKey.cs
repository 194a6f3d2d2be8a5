namespace Pipeline.Node.Erasure.Security;

/// <summary>Reads an HMAC key: base64 text given inline or in a file (whitespace around it ignored), at least 32 bytes.</summary>
public static class SigningKey
{
    public const int MinimumBytes = 32;

    public static byte[] Read(string owner, string? inline, string? file)
    {
        if (inline is not null && file is not null)
            throw new InvalidOperationException($"{owner}: give Key or KeyFile, not both");
        var text = inline ?? (file is not null ? ReadFile(owner, file) : throw new InvalidOperationException($"{owner}: no Key or KeyFile"));
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{owner}: the key is not base64");
        }
        if (key.Length < MinimumBytes)
            throw new InvalidOperationException($"{owner}: the key has {key.Length} bytes; at least {MinimumBytes} are needed (e.g. `head -c 32 /dev/urandom | base64`)");
        return key;
    }

    private static string ReadFile(string owner, string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{owner}: cannot read KeyFile {file}: {e.Message}");
        }
    }
}
