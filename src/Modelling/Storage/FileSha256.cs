using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Pipeline.Modelling.Storage;

/// <summary>
/// A file's SHA-256 (lower-case hex), remembered by full path, length and last write time: every scorer plugin checks
/// the same epoch checkpoint against its announced hash, and a base model's weights are fingerprinted every epoch, so a
/// multi-gigabyte file is read once, not once per plugin per epoch. Rewriting the file changes its write time, and so
/// its entry. The cache lives in this shared assembly, so plugins in their own load contexts share it.
/// </summary>
public static class FileSha256
{
    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Written), string> Known = new();

    public static string Of(string file)
    {
        var info = new FileInfo(file);
        if (!info.Exists)
            throw new FileNotFoundException($"{file}: not found", file);
        return Known.GetOrAdd((info.FullName, info.Length, info.LastWriteTimeUtc), _ =>
        {
            using var stream = File.OpenRead(file);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
    }
}
