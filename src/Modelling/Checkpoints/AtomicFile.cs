namespace Pipeline.Modelling.Checkpoints;

/// <summary>
/// Writes a file so that it is either absent, the old version, or complete: the content goes to a temp file in the
/// same folder, is flushed to disk, and is renamed over the target (rename is atomic within a file system).
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var temp = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static void WriteText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>A temp name that no loader mistakes for the real file (it does not end in .json or .safetensors).</summary>
    private static string TempPathFor(string path) => $"{path}.{Guid.NewGuid():N}.partial";
}
