using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Modelling.Checkpoints;

namespace Pipeline.Plugins.SemanticClusters;

/// <summary>
/// The SHA-256 of a model folder's weights: of model.safetensors, or for a sharded checkpoint of the list of its shards'
/// names and hashes. Remembered by file size and time, so a multi-gigabyte base model is not read again every epoch.
/// </summary>
public static class WeightsFingerprint
{
    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Written), string> Known = new();

    public static string Of(string folder)
    {
        var single = Path.Combine(folder, CheckpointStore.WeightsFileName);
        if (File.Exists(single))
            return HashOf(single);
        var shards = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.safetensors").Order(StringComparer.Ordinal).ToList()
            : [];
        if (shards.Count == 0)
            throw new FileNotFoundException($"{folder}: no safetensors weights (is the base model a checkpoint folder?)");
        var listing = string.Concat(shards.Select(s => $"{Path.GetFileName(s)}:{HashOf(s)}\n"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing)));
    }

    public static string HashOf(string file)
    {
        var info = new FileInfo(file);
        return Known.GetOrAdd((info.FullName, info.Length, info.LastWriteTimeUtc), _ =>
        {
            using var stream = File.OpenRead(file);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
    }
}
