using System.Text.Json;
using Pipeline.Host.Tests.Support;

namespace Pipeline.Host.Tests.Health;

/// <summary>`pipeline health` as an operator or a probe runs it: the process, its exit code, its JSON.</summary>
public sealed class HealthCommandTests
{
    private readonly string _workingDirectory = Path.GetDirectoryName(TestPlugins.NewDirectory())!;

    private Dictionary<string, string?> InMemory(string plugins) => new()
    {
        ["Bus:Transport"] = "InMemory",
        ["Plugins:Directory"] = plugins,
        ["Ledger:Path"] = Path.Combine(_workingDirectory, "ledger.db"),
    };

    private string HealthyPlugins()
    {
        var plugins = TestPlugins.NewDirectory();
        TestPlugins.Install(plugins, "RecordingPlugins", "RecordingPlugins");
        return plugins;
    }

    private string BrokenPlugins()
    {
        var plugins = HealthyPlugins();
        Directory.CreateDirectory(Path.Combine(plugins, "Broken"));
        File.WriteAllText(Path.Combine(plugins, "Broken", "Broken.dll"), "this is not an assembly");
        return plugins;
    }

    [Fact]
    public async Task On_the_in_memory_bus_with_loadable_plugins_every_check_is_healthy_and_the_exit_code_is_0()
    {
        var health = await PipelineProcess.RunAsync(_workingDirectory, InMemory(HealthyPlugins()), "health", "--json");

        Assert.Equal(0, health.ExitCode);
        using var report = JsonDocument.Parse(health.StandardOutput);
        Assert.Equal("healthy", report.RootElement.GetProperty("status").GetString());
        var checks = report.RootElement.GetProperty("checks");
        Assert.Equal(["broker", "disk", "ledger", "plugins"], checks.EnumerateObject().Select(c => c.Name).Order());
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("healthy", c.Value.GetProperty("status").GetString()));
        Assert.Contains("in-memory", checks.GetProperty("broker").GetProperty("description").GetString());
        Assert.True(checks.GetProperty("disk").GetProperty("data").GetProperty("free_mb").GetInt64() > 0);
        Assert.True(File.Exists(Path.Combine(_workingDirectory, "ledger.db")), "the ledger check reads the configured ledger");
    }

    [Fact]
    public async Task A_free_disk_threshold_above_the_free_space_makes_the_disk_check_unhealthy_and_exits_1()
    {
        var settings = InMemory(HealthyPlugins());
        settings["Health:MinimumFreeDiskMegabytes"] = "100000000000";
        settings["Health:RunsDirectory"] = Path.Combine(_workingDirectory, "runs-not-made-yet");

        var health = await PipelineProcess.RunAsync(_workingDirectory, settings, "health", "--json");

        Assert.Equal(1, health.ExitCode);
        using var report = JsonDocument.Parse(health.StandardOutput);
        Assert.Equal("unhealthy", report.RootElement.GetProperty("status").GetString());
        var disk = report.RootElement.GetProperty("checks").GetProperty("disk");
        Assert.Equal("unhealthy", disk.GetProperty("status").GetString());
        Assert.Equal(Path.Combine(_workingDirectory, "runs-not-made-yet"), disk.GetProperty("data").GetProperty("path").GetString());
        Assert.True(disk.GetProperty("data").GetProperty("free_mb").GetInt64() < 100000000000);
        Assert.Equal("healthy", report.RootElement.GetProperty("checks").GetProperty("broker").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_plugin_that_does_not_load_makes_the_plugins_check_unhealthy_with_its_name_and_reason()
    {
        var health = await PipelineProcess.RunAsync(_workingDirectory, InMemory(BrokenPlugins()), "health", "--json");

        Assert.Equal(1, health.ExitCode);
        using var report = JsonDocument.Parse(health.StandardOutput);
        var plugins = report.RootElement.GetProperty("checks").GetProperty("plugins");
        Assert.Equal("unhealthy", plugins.GetProperty("status").GetString());
        Assert.Contains("Broken:", plugins.GetProperty("description").GetString());
        Assert.True(plugins.GetProperty("data").GetProperty("errors").TryGetProperty("Broken", out var reason));
        Assert.False(string.IsNullOrWhiteSpace(reason.GetString()));
        Assert.Contains("recording-scorer", plugins.GetProperty("data").GetProperty("loaded").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task A_ledger_that_cannot_be_opened_makes_the_ledger_check_unhealthy_and_the_others_still_report()
    {
        var notAFolder = Path.Combine(_workingDirectory, "not-a-folder");
        File.WriteAllText(notAFolder, "a file where the ledger's folder should be");
        var settings = InMemory(HealthyPlugins());
        settings["Ledger:Path"] = Path.Combine(notAFolder, "ledger.db");

        var health = await PipelineProcess.RunAsync(_workingDirectory, settings, "health", "--json");

        Assert.Equal(1, health.ExitCode);
        using var report = JsonDocument.Parse(health.StandardOutput);
        var ledger = report.RootElement.GetProperty("checks").GetProperty("ledger");
        Assert.Equal("unhealthy", ledger.GetProperty("status").GetString());
        Assert.StartsWith("cannot read the ledger:", ledger.GetProperty("description").GetString());
        Assert.Equal("healthy", report.RootElement.GetProperty("checks").GetProperty("plugins").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_text_report_is_a_table_of_the_checks_with_the_overall_status()
    {
        var health = await PipelineProcess.RunAsync(_workingDirectory, InMemory(BrokenPlugins()), "health");

        Assert.Equal(1, health.ExitCode);
        var lines = health.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("check", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("plugins") && l.Contains("unhealthy") && l.Contains("Broken"));
        Assert.Contains(lines, l => l.StartsWith("broker") && l.Contains("healthy"));
        Assert.Equal("overall: unhealthy", lines[^1].Trim());
    }
}
