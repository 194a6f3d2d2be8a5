namespace Pipeline.Contracts.Plugins;

/// <summary>
/// What every plugin has. A plugin class implements one or more role interfaces and has a public
/// parameterless constructor; the host finds it by scanning the plugin assembly.
/// </summary>
public interface IPipelinePlugin
{
    /// <summary>Stable name, shown in `pipeline plugins`, faults and reports.</summary>
    string Name { get; }
}
