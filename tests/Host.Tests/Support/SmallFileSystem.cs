using System.Diagnostics;

namespace Pipeline.Host.Tests.Support;

/// <summary>
/// A tmpfs of a given size mounted on a folder, so a test can fill a real file system and meet a real ENOSPC
/// (no fake stream: the write path under test is the production one). Mounting needs root. ./test.sh probes whether a
/// mount works and then sets PIPELINE_TEST_REQUIRE_TMPFS=1, so where it can run this test fails rather than skips;
/// where `mount` is refused the test is skipped saying so, and the free-space guard's own test (no mount) still runs.
/// </summary>
public sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> on <paramref name="folder"/> (created, and empty).</summary>
    public static SmallFileSystem Mount(string folder, long bytes)
    {
        Directory.CreateDirectory(folder);
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", folder);
        if (code != 0)
        {
            var reason = $"mounting a {bytes}-byte tmpfs failed ({error.Trim()}): the real full-disk test needs root";
            if (Required)
                throw new InvalidOperationException(reason + " (required here: PIPELINE_TEST_REQUIRE_TMPFS=1).");
            Skip.If(true, reason + "; the free-space guard test still runs.");
        }
        return new SmallFileSystem(folder);
    }

    /// <summary>Makes room: the same file system, its content kept, resized.</summary>
    public void Resize(long bytes)
    {
        var (code, error) = Run("mount", "-o", $"remount,size={bytes}", Path);
        if (code != 0)
            throw new InvalidOperationException($"resizing the tmpfs at {Path} failed: {error.Trim()}");
    }

    public void Dispose() => Run("umount", "-l", Path);

    private static bool Required => Environment.GetEnvironmentVariable("PIPELINE_TEST_REQUIRE_TMPFS") == "1";

    private static (int Code, string Error) Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message); // no such command
        }
    }
}
