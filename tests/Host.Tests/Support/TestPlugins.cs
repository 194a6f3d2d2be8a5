namespace Pipeline.Host.Tests.Support;

/// <summary>The compiled test plugins (copied under testplugins/ by the build) and fresh plugin folders to put them in.</summary>
public static class TestPlugins
{
    public static string Built(string relative) => Path.Combine(AppContext.BaseDirectory, "testplugins", relative);

    /// <summary>A new, empty plugin directory in a temporary folder.</summary>
    public static string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"), "plugins");
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Installs a built plugin into a plugin directory, as an operator would: plugins/&lt;Name&gt;/&lt;Name&gt;.dll.</summary>
    public static void Install(string pluginDirectory, string builtRelative, string name)
    {
        var target = Path.Combine(pluginDirectory, name);
        Directory.CreateDirectory(target);
        File.Copy(Path.Combine(Built(builtRelative), name + ".dll"), Path.Combine(target, name + ".dll"), overwrite: true);
    }
}
