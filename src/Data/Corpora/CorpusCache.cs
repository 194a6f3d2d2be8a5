using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Modelling.Data;

namespace Pipeline.Data.Corpora;

/// <summary>
/// The corpus cache, by default $XDG_CACHE_HOME/pipeline/corpora (or ~/.cache/pipeline/corpora): one folder per corpus
/// holding records.jsonl and manifest.json. A folder only ever appears complete: a pull builds it under a temporary
/// name (.pull-NAME-PID-GUID) and renames it into place at the end; temporary folders of dead processes are removed
/// by the next pull.
/// </summary>
public sealed class CorpusCache(string root)
{
    public const string RecordsFileName = "records.jsonl";
    public const string ManifestFileName = "manifest.json";
    private const string StagingPrefix = ".pull-";

    internal static readonly JsonSerializerOptions ManifestJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The cache of this user: $XDG_CACHE_HOME/pipeline/corpora, else ~/.cache/pipeline/corpora.</summary>
    public static CorpusCache ForCurrentUser() => new(DefaultRoot(Environment.GetEnvironmentVariable));

    /// <summary>The default root as the given environment defines it (XDG Base Directory: a relative XDG_CACHE_HOME is ignored).</summary>
    public static string DefaultRoot(Func<string, string?> environment)
    {
        var xdg = environment("XDG_CACHE_HOME");
        var cacheHome = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cacheHome, "pipeline", "corpora");
    }

    public string FolderOf(string name) => Path.Combine(Root, CheckedName(name));

    public string RecordsPathOf(string name) => Path.Combine(FolderOf(name), RecordsFileName);

    public bool IsCached(string name) => File.Exists(Path.Combine(FolderOf(name), ManifestFileName)) && File.Exists(RecordsPathOf(name));

    /// <summary>The cached corpus's manifest, or null when it is not cached.</summary>
    public CorpusManifest? ReadManifest(string name)
    {
        if (!IsCached(name))
            return null;
        using var stream = File.OpenRead(Path.Combine(FolderOf(name), ManifestFileName));
        return JsonSerializer.Deserialize<CorpusManifest>(stream, ManifestJson);
    }

    /// <summary>Starts a pull: a fresh temporary folder that becomes the corpus folder on <see cref="CorpusStaging.Commit"/>.</summary>
    internal CorpusStaging BeginPull(string name)
    {
        Directory.CreateDirectory(Root);
        RemoveAbandonedPulls();
        var folder = Path.Combine(Root, $"{StagingPrefix}{CheckedName(name)}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return new CorpusStaging(this, name, folder);
    }

    /// <summary>Moves a finished temporary folder into place, replacing an older copy of the corpus.</summary>
    internal void Install(string name, string stagingFolder)
    {
        var target = FolderOf(name);
        string? previous = null;
        if (Directory.Exists(target))
        {
            previous = Path.Combine(Root, $"{StagingPrefix}{name}-{Environment.ProcessId}-{Guid.NewGuid():N}.old");
            Directory.Move(target, previous);
        }
        try
        {
            Directory.Move(stagingFolder, target);
        }
        catch when (previous is not null)
        {
            Directory.Move(previous, target);
            throw;
        }
        if (previous is not null)
            Directory.Delete(previous, recursive: true);
    }

    /// <summary>Temporary folders whose process has exited are left over from a crash or kill.</summary>
    private void RemoveAbandonedPulls()
    {
        foreach (var folder in Directory.GetDirectories(Root, StagingPrefix + "*"))
        {
            var parts = Path.GetFileName(folder).Split('-');
            if (parts.Length >= 3 && int.TryParse(parts[^2], out var processId) && IsAlive(processId))
                continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Another pull may be cleaning it at the same moment; the next pull retries.
            }
        }
    }

    private static bool IsAlive(int processId)
    {
        if (processId == Environment.ProcessId)
            return true;
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string CheckedName(string name) =>
        !string.IsNullOrWhiteSpace(name) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && !name.StartsWith('.')
            ? name
            : throw new ArgumentException($"\"{name}\" is not a corpus name (letters, digits, '-' and '_')", nameof(name));
}
