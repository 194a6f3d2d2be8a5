namespace Pipeline.Host.Plugins;

/// <summary>A plugin threw or ran past its timeout. The message faults with the plugin's name; the host goes on.</summary>
public sealed class PluginFailedException(string pluginName, string message, Exception? inner = null)
    : Exception($"plugin '{pluginName}' {message}", inner)
{
    public string PluginName { get; } = pluginName;

    /// <summary>Several plugins of one message failed: one exception naming them all.</summary>
    public static Exception Combine(IReadOnlyList<PluginFailedException> failures) =>
        failures.Count == 1 ? failures[0] : new AggregateException(string.Join("; ", failures.Select(f => f.Message)), failures);
}
