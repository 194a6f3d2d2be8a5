using System.CommandLine;

namespace Pipeline.Host.Cli;

/// <summary>Options several commands share.</summary>
public static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON document (snake_case keys) on stdout; logs stay on stderr." };

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Log at Information level on stderr (default: warnings only)." };
}
