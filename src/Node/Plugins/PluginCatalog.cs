using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.Plugins;

namespace Pipeline.Node.Plugins;

/// <summary>
/// The plugins found in Plugins:Directory (plugins/&lt;Name&gt;/&lt;Name&gt;.dll), each in its own unloadable load
/// context sharing Contracts and TorchSharp with the host. When a plugin's files change, the new version is
/// loaded beside the old and swapped in atomically: a message already being handled finishes on the old
/// instance, the next one gets the new; if the new files do not load, the old version stays.
/// </summary>
public sealed class PluginCatalog : IDisposable
{
    /// <summary>Contracts, TorchSharp and the modelling library are the host's: a plugin uses the host's copies, never its own.</summary>
    private static readonly Type[] SharedTypes = [typeof(IPipelinePlugin), typeof(TorchSharp.torch), typeof(Pipeline.Modelling.ModellingAssembly), typeof(Pipeline.Data.DataAssembly)];

    private readonly PluginOptions _options;
    private readonly ILogger<PluginCatalog> _logger;
    private readonly object _swapLock = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _pendingReloads = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, PluginAssembly> _assemblies = ImmutableDictionary<string, PluginAssembly>.Empty;
    private FileSystemWatcher? _watcher;

    public PluginCatalog(IOptions<PluginOptions> options, ILogger<PluginCatalog> logger)
    {
        _options = options.Value;
        _logger = logger;
        DirectoryPath = Path.GetFullPath(_options.Directory);
        foreach (var folder in PluginFolders())
            LoadFolder(folder);
        if (_options.HotReload)
            Watch();
    }

    public string DirectoryPath { get; }

    /// <summary>Raised after a plugin folder was (re)loaded or removed; argument: the folder name.</summary>
    public event Action<string>? Reloaded;

    /// <summary>Every loaded plugin, ordered by name.</summary>
    public IReadOnlyList<LoadedPlugin> All =>
        _assemblies.Values.SelectMany(a => a.Plugins).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();

    /// <summary>The plugins playing role T, ordered by name.</summary>
    public IReadOnlyList<(LoadedPlugin Plugin, T Role)> OfRole<T>() where T : class, IPipelinePlugin =>
        All.Where(p => p.Instance is T).Select(p => (p, (T)p.Instance)).ToList();

    /// <summary>Load errors of folders whose current files do not load (the previous version, if any, stays in use).</summary>
    public IReadOnlyDictionary<string, string> Errors => _errors;

    private ImmutableDictionary<string, string> _errors = ImmutableDictionary<string, string>.Empty;

    /// <summary>Reloads one plugin folder now (the file watcher calls this after the quiet time).</summary>
    public void Reload(string folderName)
    {
        var folder = Path.Combine(DirectoryPath, folderName);
        if (!File.Exists(Path.Combine(folder, folderName + ".dll")))
        {
            // A folder being created has no assembly yet; only a plugin that was loaded is worth a word.
            if (Swap(folderName, null))
                _logger.LogInformation("Plugin folder {Folder} removed; its plugins are unloaded", folderName);
            _errors = _errors.Remove(folderName);
            Reloaded?.Invoke(folderName);
            return;
        }
        LoadFolder(folder);
        Reloaded?.Invoke(folderName);
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        foreach (var pending in _pendingReloads.Values)
            pending.Cancel();
        foreach (var assembly in _assemblies.Values)
            assembly.Loader.Dispose();
    }

    private IEnumerable<string> PluginFolders() =>
        Directory.Exists(DirectoryPath)
            ? Directory.EnumerateDirectories(DirectoryPath).Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".dll"))).Order()
            : [];

    private void LoadFolder(string folder)
    {
        var name = Path.GetFileName(folder);
        var file = Path.Combine(folder, name + ".dll");
        PluginLoader? loader = null;
        try
        {
            loader = PluginLoader.CreateFromAssemblyFile(file, isUnloadable: true, SharedTypes, config =>
            {
                // In memory: the files on disk can be replaced at any moment without breaking the loaded copy.
                config.LoadInMemory = true;
                config.PreferSharedTypes = true;
            });
            var assembly = loader.LoadDefaultAssembly();
            // The informational version may end in "+<commit>"; the release number is what people compare.
            var version = (assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                           ?? assembly.GetName().Version?.ToString() ?? "unknown").Split('+')[0];
            var plugins = assembly.GetExportedTypes()
                .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IPipelinePlugin).IsAssignableFrom(t)
                            && t.GetConstructor(Type.EmptyTypes) is not null)
                .Select(t => Configure((IPipelinePlugin)Activator.CreateInstance(t)!))
                .Select(p => new LoadedPlugin(p, version, file, LoadedPlugin.RolesOf(p)))
                .ToList();
            if (plugins.Count == 0)
                throw new InvalidOperationException($"{name}.dll has no public class implementing a plugin role with a parameterless constructor");

            Swap(name, new PluginAssembly(loader, plugins));
            _errors = _errors.Remove(name);
            foreach (var plugin in plugins)
                _logger.LogInformation("Plugin {Plugin} {Version} loaded from {File} as {Roles}", plugin.Name, version, file, string.Join(", ", plugin.Roles));
        }
        catch (Exception exception)
        {
            loader?.Dispose();
            var reason = exception is ReflectionTypeLoadException typeLoad && typeLoad.LoaderExceptions.FirstOrDefault() is { } first
                ? first.Message
                : exception.Message;
            _errors = _errors.SetItem(name, reason);
            _logger.LogError("Plugin {Folder} could not be loaded from {File}: {Reason}{Kept}", name, file, reason,
                _assemblies.ContainsKey(name) ? " (the previous version stays in use)" : "");
        }
    }

    private IPipelinePlugin Configure(IPipelinePlugin plugin)
    {
        PluginSettingsBinder.Configure(plugin, _options.SettingsFor(plugin.Name));
        return plugin;
    }

    /// <summary>Replaces (or removes, with null) a folder's plugins; true when there were plugins before.</summary>
    private bool Swap(string name, PluginAssembly? replacement)
    {
        PluginAssembly? previous;
        lock (_swapLock)
        {
            _assemblies.TryGetValue(name, out previous);
            _assemblies = replacement is null ? _assemblies.Remove(name) : _assemblies.SetItem(name, replacement);
        }
        // Unloading is cooperative: calls still running on the old instances finish before the context goes away.
        previous?.Loader.Dispose();
        return previous is not null;
    }

    private void Watch()
    {
        Directory.CreateDirectory(DirectoryPath);
        _watcher = new FileSystemWatcher(DirectoryPath)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Changed += (_, e) => ScheduleReload(e.FullPath);
        _watcher.Created += (_, e) => ScheduleReload(e.FullPath);
        _watcher.Deleted += (_, e) => ScheduleReload(e.FullPath);
        _watcher.Renamed += (_, e) => { ScheduleReload(e.OldFullPath); ScheduleReload(e.FullPath); };
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Debounces: each change restarts the plugin folder's quiet-time clock.</summary>
    private void ScheduleReload(string changedPath)
    {
        var relative = Path.GetRelativePath(DirectoryPath, changedPath);
        var folderName = relative.Split(Path.DirectorySeparatorChar)[0];
        if (folderName is "." or ".." || folderName.Length == 0)
            return;

        var quiet = new CancellationTokenSource();
        var replaced = _pendingReloads.AddOrUpdate(folderName, quiet, (_, old) => { old.Cancel(); return quiet; });
        _ = Task.Delay(_options.ReloadDelayMilliseconds, quiet.Token).ContinueWith(t =>
        {
            if (t.IsCanceled)
                return;
            _pendingReloads.TryRemove(new KeyValuePair<string, CancellationTokenSource>(folderName, quiet));
            Reload(folderName);
        }, TaskScheduler.Default);
        _ = replaced;
    }

    private sealed record PluginAssembly(PluginLoader Loader, IReadOnlyList<LoadedPlugin> Plugins);
}
