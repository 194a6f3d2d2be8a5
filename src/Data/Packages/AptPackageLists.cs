using Pipeline.Data.Corpora;

namespace Pipeline.Data.Packages;

/// <summary>
/// apt's package lists, which `apt-cache show` and `apt-get download` read. A fresh Debian machine has none until
/// `apt-get update`. When they are missing, a process that may refresh them does, saying so on one line; one that may
/// not stops at once with the command to run. May: PIPELINE_APT_UPDATE is `auto` (the default) and the process runs as
/// root, as `apt-get update` needs; `never` forbids it (the lists are then the operator's business).
/// </summary>
internal sealed class AptPackageLists(PackageClient client, Func<bool> isRoot)
{
    public const string Variable = "PIPELINE_APT_UPDATE";
    private static readonly SemaphoreSlim Updating = new(1, 1);

    /// <summary>The lists folders this process has refreshed: a refresh is tried once, never in a loop.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Refreshed = new(StringComparer.Ordinal);

    public AptPackageLists(PackageClient client)
        : this(client, IsEffectiveRoot)
    {
    }

    /// <summary>Whether this process may run `apt-get update` by itself.</summary>
    public bool MayUpdate
    {
        get
        {
            var setting = client.Variable(Variable)?.Trim().ToLowerInvariant();
            return setting switch
            {
                null or "" or "auto" => isRoot(),
                "never" => false,
                _ => throw new CorpusPullException($"{Variable}='{setting}' is not auto or never"),
            };
        }
    }

    /// <summary>The folder apt keeps its lists in (Dir::State::lists, which APT_CONFIG may move), from apt-config.</summary>
    public async Task<string> FolderAsync(string workFolder, CancellationToken cancellationToken)
    {
        var shell = await client.RunAsync("apt-config", ["shell", "LISTS", "Dir::State::lists/d"], workFolder, cancellationToken);
        // One line: LISTS='/var/lib/apt/lists/'
        var value = shell.Trim();
        var start = value.IndexOf('\'');
        var end = value.LastIndexOf('\'');
        return start >= 0 && end > start ? value[(start + 1)..end] : "/var/lib/apt/lists/";
    }

    /// <summary>True when the lists folder holds at least one source's package index.</summary>
    public static bool Present(string folder) =>
        Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any(f => Path.GetFileName(f).Contains("_Packages", StringComparison.Ordinal));

    /// <summary>Makes sure the lists exist before a package is looked up: refreshes them, or stops with the command to run.</summary>
    public async Task EnsurePresentAsync(string workFolder, Action<string> report, CancellationToken cancellationToken)
    {
        var folder = await FolderAsync(workFolder, cancellationToken);
        if (Present(folder))
            return;
        if (!MayUpdate)
            throw new CorpusPullException(
                $"apt has no package lists ({folder} is empty; a fresh Debian machine has none): run `sudo apt-get update`, then try again");
        await UpdateAsync(folder, $"apt has no package lists ({folder} is empty): running apt-get update", workFolder, report, cancellationToken);
    }

    /// <summary>
    /// After a look-up or download failed on lists that exist: refreshes them once per process when it may (stale lists
    /// name versions the mirror no longer has) and returns true; false when it may not or already did.
    /// </summary>
    public async Task<bool> TryRefreshAsync(string reason, string workFolder, Action<string> report, CancellationToken cancellationToken)
    {
        var folder = await FolderAsync(workFolder, cancellationToken);
        if (Refreshed.ContainsKey(folder) || !MayUpdate)
            return false;
        await UpdateAsync(folder, $"{reason}: the package lists may be out of date; running apt-get update", workFolder, report, cancellationToken);
        return true;
    }

    private async Task UpdateAsync(string folder, string line, string workFolder, Action<string> report, CancellationToken cancellationToken)
    {
        await Updating.WaitAsync(cancellationToken);
        try
        {
            report($"{line} (as root; {Variable}=never forbids it)");
            client.Require("apt-get");
            await client.RunAsync("apt-get", ["update", "-q"], workFolder, cancellationToken,
                failureHint: "the package lists could not be refreshed; run `sudo apt-get update` and read its errors");
            Refreshed[folder] = true;
        }
        finally
        {
            Updating.Release();
        }
    }

    private static bool IsEffectiveRoot()
    {
        try
        {
            // /proc/self/status: "Uid:\treal\teffective\tsaved\tfs"
            var uid = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return uid?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(2) == "0";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
