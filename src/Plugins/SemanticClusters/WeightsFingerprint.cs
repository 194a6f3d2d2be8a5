using System.Security.Cryptography;
using System.Text;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Storage;

namespace Pipeline.Plugins.SemanticClusters;

/// <summary>
/// The SHA-256 of a model folder's weights: of model.safetensors, or for a sharded checkpoint of the list of its shards'
/// names and hashes (each file's hash remembered by <see cref="FileSha256"/>, so a large base model is read once).
/// </summary>
public static class WeightsFingerprint
{
    public static string Of(string folder)
    {
        var single = Path.Combine(folder, CheckpointStore.WeightsFileName);
        if (File.Exists(single))
            return FileSha256.Of(single);
        var shards = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.safetensors").Order(StringComparer.Ordinal).ToList()
            : [];
        if (shards.Count == 0)
            throw new FileNotFoundException($"{folder}: no safetensors weights (is the base model a checkpoint folder?)");
        var listing = string.Concat(shards.Select(s => $"{Path.GetFileName(s)}:{FileSha256.Of(s)}\n"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing)));
    }
}
