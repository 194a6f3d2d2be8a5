using System.Diagnostics;
using Pipeline.Data.Corpora;

namespace Pipeline.Data.Packages;

/// <summary>
/// Runs the system's package clients (npm, apt-get, apt-cache, apt-config, dpkg-deb) with an explicit PATH, so that a missing
/// client is reported by name (with the Debian package that provides it) before anything starts.
/// </summary>
/// <param name="environment">Variables set for every client run (and read by <see cref="Variable"/>) over the process's own.</param>
internal sealed class PackageClient(string searchPath, IReadOnlyDictionary<string, string>? environment = null)
{
    private static readonly Dictionary<string, string> DebianPackageOf = new()
    {
        ["npm"] = "npm",
        ["apt-get"] = "apt",
        ["apt-cache"] = "apt",
        ["apt-config"] = "apt",
        ["dpkg-deb"] = "dpkg",
    };

    public string SearchPath { get; } = searchPath;

    public static string ProcessSearchPath => Environment.GetEnvironmentVariable("PATH") ?? "";

    /// <summary>An environment variable as the clients see it: this client's own setting, else the process's.</summary>
    public string? Variable(string name) =>
        environment is not null && environment.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name);

    /// <summary>Throws the "X is not installed: apt-get install Y" error when <paramref name="tool"/> is not on the PATH.</summary>
    public string Require(string tool) =>
        Find(tool) ?? throw new CorpusPullException($"{tool} is not installed: apt-get install {DebianPackageOf.GetValueOrDefault(tool, tool)}");

    public string? Find(string tool)
    {
        foreach (var folder in SearchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, tool);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
                return candidate;
        }
        return null;
    }

    /// <summary>Runs the tool and returns its standard output; a non-zero exit throws with the last line of its stderr.</summary>
    public async Task<string> RunAsync(string tool, IReadOnlyList<string> arguments, string workingFolder, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? variables = null, string? failureHint = null)
    {
        var start = new ProcessStartInfo(Require(tool))
        {
            WorkingDirectory = workingFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["PATH"] = SearchPath;
        foreach (var (name, value) in (environment ?? new Dictionary<string, string>()).Concat(variables ?? new Dictionary<string, string>()))
            start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new CorpusPullException($"{tool} could not be started");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var stdout = await output;
        var stderr = await errors;
        if (process.ExitCode != 0)
        {
            var lastLine = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no error output)";
            throw new CorpusPullException($"{tool} {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {lastLine}" +
                                          (failureHint is null ? "" : $" — {failureHint}"));
        }
        return stdout;
    }
}
