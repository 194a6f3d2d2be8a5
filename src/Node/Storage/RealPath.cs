namespace Pipeline.Node.Storage;

/// <summary>
/// The absolute path with "..", "." and symbolic links resolved, as far as the path exists (the rest is taken as
/// written). A link inside an allowed folder that points outside it must count as outside.
/// </summary>
public static class RealPath
{
    /// <summary>More links than this on one path is a loop (Linux gives up at 40 as well).</summary>
    private const int MaxLinks = 40;

    /// <exception cref="ArgumentException">The text is not a path (for example, it holds a NUL).</exception>
    public static string Of(string path)
    {
        var pending = new Queue<string>(Split(Path.GetFullPath(path)));
        var resolved = "/";
        var links = 0;
        while (pending.TryDequeue(out var part))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? "/";
                continue;
            }
            var next = Path.Join(resolved, part);
            var target = LinkTarget(next);
            if (target is null)
            {
                resolved = next;
                continue;
            }
            if (++links > MaxLinks)
                throw new ArgumentException("too many symbolic links");
            // The link's target replaces it, and the parts after it follow the target.
            var rest = pending.ToList();
            pending = new Queue<string>(Split(Path.GetFullPath(target, resolved)).Concat(rest));
            resolved = "/";
        }
        return resolved;
    }

    /// <summary>True when path is root or lies below it (both real paths).</summary>
    public static bool IsInside(string path, string root) =>
        path == root || path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null; // not there (yet), or unreadable: taken as written
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string[] Split(string fullPath) => fullPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
