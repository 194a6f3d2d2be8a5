namespace Pipeline.Contracts.Plugins;

/// <summary>
/// A plugin that takes typed settings. The host binds the configuration section Plugins:Settings:&lt;plugin-name&gt;
/// (for example PIPELINE__Plugins__Settings__memorisation__PrefixTokens=16) to a new <typeparamref name="TSettings"/>
/// — public settable properties, their initial values the defaults — and passes it once, right after creating the
/// plugin, and again whenever the plugin is reloaded. A key <typeparamref name="TSettings"/> has no property for, or a
/// value that does not convert, is a load error naming the key; Configure throws ArgumentException for values out of range.
/// </summary>
public interface IConfigurablePlugin<in TSettings> : IPipelinePlugin
    where TSettings : class, new()
{
    void Configure(TSettings settings);
}
