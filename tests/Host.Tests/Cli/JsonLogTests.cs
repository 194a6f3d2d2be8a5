using System.Text.Json;
using Pipeline.Host.Tests.Support;

namespace Pipeline.Host.Tests.Cli;

/// <summary>Logging:Format=json: every log line on stderr is one JSON object, stdout stays the command's output, subject ids stay hashed.</summary>
public sealed class JsonLogTests
{
    private readonly string _workingDirectory = Path.GetDirectoryName(TestPlugins.NewDirectory())!;

    private Dictionary<string, string?> Settings(string plugins) => new()
    {
        ["Bus:Transport"] = "InMemory",
        ["Plugins:Directory"] = plugins,
        ["Ledger:Path"] = Path.Combine(_workingDirectory, "ledger.db"),
        ["Logging:Format"] = "json",
    };

    private static List<JsonDocument> JsonLines(string standardError) =>
        standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("pipeline: ")) // a command's own one-line reason is not a log entry
            .Select(l => JsonDocument.Parse(l)).ToList();

    [Fact]
    public async Task A_plugin_load_error_is_logged_as_one_json_object_with_its_fields()
    {
        var plugins = TestPlugins.NewDirectory();
        Directory.CreateDirectory(Path.Combine(plugins, "Broken"));
        File.WriteAllText(Path.Combine(plugins, "Broken", "Broken.dll"), "this is not an assembly");

        var health = await PipelineProcess.RunAsync(_workingDirectory, Settings(plugins), "health", "--json");

        using var report = JsonDocument.Parse(health.StandardOutput); // stdout is still the report alone
        var logs = JsonLines(health.StandardError);
        var error = Assert.Single(logs, l => l.RootElement.GetProperty("Category").GetString() == "Pipeline.Node.Plugins.PluginCatalog");
        Assert.Equal("Error", error.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal("Broken", error.RootElement.GetProperty("State").GetProperty("Folder").GetString());
        Assert.True(error.RootElement.TryGetProperty("Timestamp", out _));
    }

    [Fact]
    public async Task An_erasure_logged_as_json_names_the_subject_by_its_hash_never_by_its_id()
    {
        var unlearn = await PipelineProcess.RunAsync(_workingDirectory, Settings(TestPlugins.NewDirectory()),
            "unlearn", "--subject", "dora@example.com", "--json");

        Assert.Equal(1, unlearn.ExitCode); // no forgetter installed: rejected
        var logs = JsonLines(unlearn.StandardError);
        var rejected = Assert.Single(logs, l => l.RootElement.GetProperty("State").TryGetProperty("SubjectHash", out _));
        Assert.False(string.IsNullOrEmpty(rejected.RootElement.GetProperty("State").GetProperty("SubjectHash").GetString()));
        Assert.DoesNotContain("dora@example.com", unlearn.StandardError);
        Assert.DoesNotContain("dora@example.com", unlearn.StandardOutput);
    }

    [Fact]
    public async Task An_unknown_log_format_is_bad_usage()
    {
        var settings = Settings(TestPlugins.NewDirectory());
        settings["Logging:Format"] = "xml";

        var health = await PipelineProcess.RunAsync(_workingDirectory, settings, "health");

        Assert.Equal(2, health.ExitCode);
        Assert.Contains("Logging:Format 'xml'", health.StandardError);
        Assert.Empty(health.StandardOutput);
    }
}
