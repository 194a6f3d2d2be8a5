namespace Pipeline.Contracts.Plugins;

/// <summary>
/// A plugin that takes settings. The host passes the configuration section Plugins:Settings:&lt;plugin-name&gt; (for
/// example PIPELINE__Plugins__Settings__memorisation__PrefixTokens=16) once, right after creating the plugin, and
/// again whenever the plugin is reloaded. Unknown keys should be reported, not ignored.
/// </summary>
public interface IConfigurablePlugin : IPipelinePlugin
{
    void Configure(IReadOnlyDictionary<string, string> settings);
}
