using System.Text.Json;
using Pipeline.Contracts.Json;

namespace Pipeline.Host.Cli;

/// <summary>Command output: one JSON document with snake_case keys on stdout, or text; diagnostics go to stderr.</summary>
public static class CliOutput
{
    public static readonly JsonSerializerOptions Json = SnakeCaseJson.Options;

    public static void WriteJson(object document) => Console.Out.WriteLine(JsonSerializer.Serialize(document, Json));

    public static void Error(string reason) => Console.Error.WriteLine($"pipeline: {reason}");

    public static void Progress(string line) => Console.Error.WriteLine(line);
}
