using System.Text.Json;
using Pipeline.Host.Tests.Support;

namespace Pipeline.Host.Tests.Cli;

/// <summary>`pipeline bench ngram` as users run it: one JSON document on stdout, bad options are bad usage.</summary>
public sealed class NgramBenchCommandTests
{
    private readonly string _workingDirectory = Path.GetDirectoryName(TestPlugins.NewDirectory())!;

    [Fact]
    public async Task Bench_ngram_json_prints_tokens_per_second_and_what_it_measured()
    {
        var run = await PipelineProcess.RunAsync(_workingDirectory, new Dictionary<string, string?>(), "bench", "ngram", "--json", "--seconds", "0.05");

        Assert.Equal(0, run.ExitCode);
        using var figures = JsonDocument.Parse(run.StandardOutput);
        var root = figures.RootElement;
        Assert.True(root.GetProperty("tokens_per_second").GetDouble() > 0);
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(0, root.GetProperty("tokens").GetInt64() % (4096 * 32)); // whole passes over 4,096 pairs of 32 tokens
        Assert.Equal(32, root.GetProperty("length").GetInt32());
        Assert.Equal([2, 3, 4], root.GetProperty("ngram_sizes").EnumerateArray().Select(n => n.GetInt32()));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("machine").GetString()));
    }

    [Fact]
    public async Task Bench_ngram_with_a_length_below_1_is_bad_usage()
    {
        var run = await PipelineProcess.RunAsync(_workingDirectory, new Dictionary<string, string?>(), "bench", "ngram", "--length", "0");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--length must be at least 1", run.StandardError);
        Assert.Empty(run.StandardOutput);
    }
}
