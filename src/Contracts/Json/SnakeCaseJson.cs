using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Contracts.Json;

/// <summary>
/// The one JSON shape of Pipeline's files and command output (run.json, report.json, `--json`): snake_case keys,
/// enums as snake_case strings, indented. Dictionary keys are left as written (metric names such as verbatim_rate@64).
/// </summary>
public static class SnakeCaseJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
