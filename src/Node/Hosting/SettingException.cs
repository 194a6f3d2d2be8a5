namespace Pipeline.Node.Hosting;

/// <summary>
/// A setting holds a value the node cannot use. The message is one line that names the key as written in
/// appsettings.json (`Section:Key`), so an operator knows what to fix; commands report it as bad input (exit 2).
/// </summary>
public sealed class SettingException(string key, string message) : Exception(message)
{
    public string Key { get; } = key;
}
