namespace Pipeline.Host.FineTuning;

/// <summary>Write-then-rename, with the data flushed to disk before the rename, so readers see the old file or the new one.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string contents)
    {
        var temporary = $"{path}.tmp-{Environment.ProcessId}";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(contents);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
