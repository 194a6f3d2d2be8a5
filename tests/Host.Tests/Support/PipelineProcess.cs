using System.Diagnostics;

namespace Pipeline.Host.Tests.Support;

/// <summary>Runs the built `pipeline` executable once, as a user would, and captures what it printed.</summary>
public static class PipelineProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(string workingDirectory, IDictionary<string, string?> settings, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pipeline.dll"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in settings)
            start.Environment["PIPELINE__" + key.Replace(":", "__")] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // never leave a runaway process behind a failed test
            throw new TimeoutException($"pipeline {string.Join(' ', arguments)} did not finish; stderr so far:\n{await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
