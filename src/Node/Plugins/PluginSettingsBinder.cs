using System.Reflection;
using Microsoft.Extensions.Configuration;
using Pipeline.Contracts.Plugins;

namespace Pipeline.Node.Plugins;

/// <summary>
/// Binds Plugins:Settings:&lt;plugin-name&gt; to the settings type a plugin declares (IConfigurablePlugin&lt;T&gt;) and
/// hands it over. Unknown keys and values that do not convert are errors naming the key, never ignored.
/// </summary>
public static class PluginSettingsBinder
{
    public static void Configure(IPipelinePlugin plugin, IReadOnlyDictionary<string, string> settings)
    {
        var configurable = plugin.GetType().GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConfigurablePlugin<>));
        if (configurable is null)
        {
            if (settings.Count > 0)
                throw new ArgumentException($"Plugins:Settings:{plugin.Name}: this plugin takes no settings (given: {string.Join(", ", settings.Keys)})");
            return;
        }
        var typed = Bind(configurable.GetGenericArguments()[0], plugin.Name, settings);
        try
        {
            configurable.GetMethod(nameof(IConfigurablePlugin<object>.Configure))!.Invoke(plugin, [typed]);
        }
        catch (TargetInvocationException thrown) when (thrown.InnerException is { } inner)
        {
            throw new ArgumentException($"Plugins:Settings:{plugin.Name}: {inner.Message}", inner);
        }
    }

    /// <summary>A new settings object with the given keys bound (case-insensitive, as configuration keys are).</summary>
    public static object Bind(Type settingsType, string pluginName, IReadOnlyDictionary<string, string> settings)
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        var known = settingsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true)
            .Select(p => p.Name).ToList();
        var unknown = settings.Keys.Where(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Plugins:Settings:{pluginName}: unknown setting '{string.Join("', '", unknown)}' (known: {string.Join(", ", known)})");
        try
        {
            return section.Get(settingsType, o => o.ErrorOnUnknownConfiguration = true) ?? Activator.CreateInstance(settingsType)!;
        }
        catch (InvalidOperationException bad)
        {
            // "Failed to convert configuration value at 'Patience' to type 'System.Int32'."
            throw new ArgumentException($"Plugins:Settings:{pluginName}: {bad.Message}", bad);
        }
    }
}
