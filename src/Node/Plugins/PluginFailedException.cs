namespace Pipeline.Node.Plugins;

/// <summary>
/// A plugin threw or ran past its timeout. The message faults with the plugin's name; the host goes on.
/// The plugin's own exception is kept in PluginException rather than InnerException: MassTransit reports a fault's
/// innermost exception, and the fault must name the plugin.
/// </summary>
public sealed class PluginFailedException(string pluginName, string message, Exception? pluginException = null)
    : Exception($"plugin '{pluginName}' {message}")
{
    public string PluginName { get; } = pluginName;

    public Exception? PluginException { get; } = pluginException;

    public override string ToString() => PluginException is null ? base.ToString() : $"{base.ToString()}{Environment.NewLine} ---> {PluginException}";

    /// <summary>Several plugins of one message failed: one exception naming them all.</summary>
    public static Exception Combine(IReadOnlyList<PluginFailedException> failures) =>
        failures.Count == 1 ? failures[0] : new AggregateException(string.Join("; ", failures.Select(f => f.Message)), failures);
}
