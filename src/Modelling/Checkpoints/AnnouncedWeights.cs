using Pipeline.Modelling.Storage;

namespace Pipeline.Modelling.Checkpoints;

/// <summary>
/// Scores must belong to the checkpoint an event announced, not to a file replaced since: the weights file's SHA-256
/// must be the announced one.
/// </summary>
public static class AnnouncedWeights
{
    public static void Verify(string checkpointFolder, string announcedSha256)
    {
        var actual = FileSha256.Of(Path.Combine(checkpointFolder, CheckpointStore.WeightsFileName));
        if (!string.Equals(actual, announcedSha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{checkpointFolder}: weights SHA-256 {actual[..12]}… differs from the announced {announcedSha256[..Math.Min(12, announcedSha256.Length)]}…");
    }
}
