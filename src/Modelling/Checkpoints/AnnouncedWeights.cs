using System.Security.Cryptography;

namespace Pipeline.Modelling.Checkpoints;

/// <summary>
/// Scores must belong to the checkpoint an event announced, not to a file replaced since: the weights file's SHA-256
/// must be the announced one.
/// </summary>
public static class AnnouncedWeights
{
    public static void Verify(string checkpointFolder, string announcedSha256)
    {
        using var stream = File.OpenRead(Path.Combine(checkpointFolder, CheckpointStore.WeightsFileName));
        var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!string.Equals(actual, announcedSha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{checkpointFolder}: weights SHA-256 {actual[..12]}… differs from the announced {announcedSha256[..Math.Min(12, announcedSha256.Length)]}…");
    }
}
