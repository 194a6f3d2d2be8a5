using Pipeline.Node.Hosting;

namespace Pipeline.Node.Plugins;

/// <summary>Configuration section "Plugins".</summary>
public sealed class PluginOptions : ICheckedSettings
{
    public const string Section = "Plugins";

    /// <summary>
    /// Folder of plugins, each in its own subfolder: &lt;Name&gt;/&lt;Name&gt;.dll. Default: the plugins bundled beside the
    /// executable. A relative path is taken from the working directory.
    /// </summary>
    public string Directory { get; set; } = Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>How long one plugin call may take before its message faults.</summary>
    public double TimeoutSeconds { get; set; } = 300;

    /// <summary>Per-plugin overrides of TimeoutSeconds, by plugin name.</summary>
    public Dictionary<string, double> Timeouts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Quiet time after the last file change before a plugin is reloaded, so a copy in progress is not loaded half-written.</summary>
    public int ReloadDelayMilliseconds { get; set; } = 500;

    /// <summary>Swap plugins in when their files change while the host runs.</summary>
    public bool HotReload { get; set; } = true;

    /// <summary>Settings handed to each configurable plugin, by plugin name (Plugins:Settings:&lt;plugin-name&gt;:&lt;key&gt;).</summary>
    public Dictionary<string, Dictionary<string, string>> Settings { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, string> SettingsFor(string pluginName) =>
        Settings.TryGetValue(pluginName, out var settings) ? settings : new Dictionary<string, string>();

    public TimeSpan TimeoutFor(string pluginName) =>
        TimeSpan.FromSeconds(Timeouts.TryGetValue(pluginName, out var seconds) ? seconds : TimeoutSeconds);

    public IEnumerable<(string Key, string Reason)> Problems()
    {
        if (string.IsNullOrWhiteSpace(Directory)) yield return (nameof(Directory), "must name a folder");
        if (!(TimeoutSeconds > 0)) yield return (nameof(TimeoutSeconds), "must be a positive number of seconds");
        foreach (var (plugin, seconds) in Timeouts)
            if (!(seconds > 0)) yield return ($"{nameof(Timeouts)}:{plugin}", "must be a positive number of seconds");
        if (ReloadDelayMilliseconds < 0) yield return (nameof(ReloadDelayMilliseconds), "must not be negative");
    }
}
