using System.Text.Json;
using Pipeline.Host.Tests.Support;

namespace Pipeline.Host.Tests.Cli;

/// <summary>The `pipeline` executable as users run it: exit codes, one-line reasons, JSON on stdout only.</summary>
public sealed class CliTests
{
    private readonly string _workingDirectory = Path.GetDirectoryName(TestPlugins.NewDirectory())!;

    private Dictionary<string, string?> InMemory(string? plugins = null) => new()
    {
        ["Bus:Transport"] = "InMemory",
        ["Plugins:Directory"] = plugins ?? Path.Combine(_workingDirectory, "plugins"),
        ["Ledger:Path"] = Path.Combine(_workingDirectory, "ledger.db"),
    };

    [Fact]
    public async Task Wrong_usage_exits_2_with_a_one_line_reason()
    {
        var unknown = await PipelineProcess.RunAsync(_workingDirectory, InMemory(), "frobnicate");
        var missing = await PipelineProcess.RunAsync(_workingDirectory, InMemory(), "unlearn");

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("pipeline: Unrecognized command or argument 'frobnicate'", unknown.StandardError);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--subject", missing.StandardError);
        Assert.Empty(missing.StandardOutput);
    }

    [Fact]
    public async Task Unlearn_on_the_in_memory_bus_without_a_forgetter_is_rejected_exits_1_and_is_in_the_ledger()
    {
        var unlearn = await PipelineProcess.RunAsync(_workingDirectory, InMemory(), "unlearn", "--subject", "bob@example.com", "--json");
        Assert.Equal(1, unlearn.ExitCode);
        using var outcome = JsonDocument.Parse(unlearn.StandardOutput);
        Assert.Equal("rejected", outcome.RootElement.GetProperty("state").GetString());
        Assert.Equal("no forgetter installed", outcome.RootElement.GetProperty("reason").GetString());
        Assert.DoesNotContain("bob@example.com", unlearn.StandardOutput + unlearn.StandardError);

        var ledger = await PipelineProcess.RunAsync(_workingDirectory, InMemory(), "ledger", "--json");
        Assert.Equal(0, ledger.ExitCode);
        using var audit = JsonDocument.Parse(ledger.StandardOutput);
        var erasure = Assert.Single(audit.RootElement.GetProperty("erasures").EnumerateArray());
        Assert.Equal(outcome.RootElement.GetProperty("request_id").GetString(), erasure.GetProperty("request_id").GetString());
        Assert.Equal("rejected", erasure.GetProperty("state").GetString());
        Assert.Equal(["received", "rejected"], erasure.GetProperty("transitions").EnumerateArray().Select(t => t.GetProperty("state").GetString()));
        Assert.DoesNotContain("bob@example.com", ledger.StandardOutput);
    }

    [Fact]
    public async Task Unlearn_with_a_forgetter_completes_and_exits_0()
    {
        var plugins = TestPlugins.NewDirectory();
        TestPlugins.Install(plugins, "RecordingPlugins", "RecordingPlugins");

        var unlearn = await PipelineProcess.RunAsync(_workingDirectory, InMemory(plugins), "unlearn", "--subject", "carol", "--records", "a,b", "--json");

        Assert.Equal(0, unlearn.ExitCode);
        using var outcome = JsonDocument.Parse(unlearn.StandardOutput);
        Assert.Equal("completed", outcome.RootElement.GetProperty("state").GetString());
        Assert.Equal(2, outcome.RootElement.GetProperty("evidence").GetProperty("records_forgotten").GetDouble());
    }

    [Fact]
    public async Task Plugins_json_lists_name_role_version_and_file()
    {
        var plugins = TestPlugins.NewDirectory();
        TestPlugins.Install(plugins, "LossGap", "LossGap");

        var listed = await PipelineProcess.RunAsync(_workingDirectory, InMemory(plugins), "plugins", "--json");

        Assert.Equal(0, listed.ExitCode);
        using var document = JsonDocument.Parse(listed.StandardOutput);
        var plugin = Assert.Single(document.RootElement.GetProperty("plugins").EnumerateArray());
        Assert.Equal("loss-gap", plugin.GetProperty("name").GetString());
        Assert.Equal("epoch-scorer", plugin.GetProperty("role").GetString());
        Assert.StartsWith("0.1.0", plugin.GetProperty("version").GetString());
        Assert.EndsWith("LossGap.dll", plugin.GetProperty("file").GetString());
    }

    [Fact]
    public async Task A_ledger_request_id_that_is_not_there_is_bad_input()
    {
        var result = await PipelineProcess.RunAsync(_workingDirectory, InMemory(), "ledger", "--request-id", Guid.NewGuid().ToString());
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no erasure", result.StandardError);
    }

    [Fact]
    public async Task FineTune_trains_a_real_model_and_prints_the_report_as_json()
    {
        var tiny = TinyRun.Create(records: 24);
        var settings = InMemory();
        settings["FineTune:Threads"] = "1";

        var result = await PipelineProcess.RunAsync(_workingDirectory, settings, "finetune", "--data", tiny.DataPath, "--base-model", tiny.BaseModel,
            "--epochs", "2", "--batch-size", "4", "--context", "32", "--precision", "float32", "--out", tiny.RunsDirectory, "--json");

        Assert.True(result.ExitCode == 0, result.StandardError);
        using var report = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(2, report.RootElement.GetProperty("epochs").GetArrayLength());
        Assert.Equal("completed", report.RootElement.GetProperty("status").GetString());
        var runId = report.RootElement.GetProperty("run_id").GetString()!;
        Assert.True(File.Exists(Path.Combine(tiny.RunsDirectory, runId, "report.json")));
        Assert.True(File.Exists(Path.Combine(tiny.RunsDirectory, runId, "memorisation.png")));
    }

    [Fact]
    public async Task A_setting_out_of_range_stops_the_command_at_start_with_the_key_and_exit_2()
    {
        var settings = InMemory();
        settings["FineTune:ValidationFraction"] = "2";
        settings["Health:CheckTimeoutSeconds"] = "0";

        var result = await PipelineProcess.RunAsync(_workingDirectory, settings, "serve");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("FineTune:ValidationFraction: must lie between 0 and 1", result.StandardError);
        Assert.Contains("Health:CheckTimeoutSeconds: must be a positive number of seconds", result.StandardError);
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public async Task FineTune_with_a_missing_data_file_or_base_model_is_bad_input()
    {
        var missingData = await PipelineProcess.RunAsync(_workingDirectory, InMemory(), "finetune", "--data", "/nowhere/records.jsonl");
        var missingModel = await PipelineProcess.RunAsync(_workingDirectory, InMemory(), "finetune", "--base-model", "/nowhere/model");

        Assert.Equal(2, missingData.ExitCode);
        Assert.Contains("--data /nowhere/records.jsonl: no such file", missingData.StandardError);
        Assert.Equal(2, missingModel.ExitCode);
        Assert.Contains("not a checkpoint folder", missingModel.StandardError);
    }

    [Fact]
    public async Task Tuning_lambda_without_the_ngram_regulariser_is_bad_usage()
    {
        var result = await PipelineProcess.RunAsync(_workingDirectory, InMemory(), "finetune", "--tune-lambda");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--regulariser ngram", result.StandardError);
    }

    [Fact]
    public async Task Score_reports_memorisation_of_a_checkpoint_as_json()
    {
        var tiny = TinyRun.Create(records: 20);

        var result = await PipelineProcess.RunAsync(_workingDirectory, InMemory(), "score", "--checkpoint", tiny.BaseModel,
            "--data", tiny.DataPath, "--heldout", tiny.DataPath, "--prefix", "4", "--suffix", "4", "--json");

        Assert.True(result.ExitCode == 0, result.StandardError);
        using var document = JsonDocument.Parse(result.StandardOutput);
        var train = document.RootElement.GetProperty("train");
        Assert.Equal(20, train.GetProperty("scored").GetInt32());
        Assert.InRange(train.GetProperty("ngram_score").GetDouble(), 0, 1);
        // The same records on both sides: the two summaries must agree exactly.
        Assert.Equal(train.GetProperty("verbatim_rate").GetDouble(), document.RootElement.GetProperty("heldout").GetProperty("verbatim_rate").GetDouble());
    }

    [Fact]
    public async Task Score_of_a_folder_that_is_not_a_checkpoint_is_bad_input()
    {
        var result = await PipelineProcess.RunAsync(_workingDirectory, InMemory(), "score", "--checkpoint", _workingDirectory, "--data", "x.jsonl");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a checkpoint folder", result.StandardError);
    }
}
