using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using TorchSharp;

namespace Pipeline.Node.Torch;

/// <summary>
/// Loads TorchSharp's native backend once and, when that fails, says why in one line.
/// </summary>
/// <remarks>
/// TorchSharp reports every native load failure as "this application doesn't contain a reference to
/// libtorch-…", even when the package is there and the real cause is the loader rejecting
/// libLibTorchSharp.so (e.g. it needs a newer libstdc++ than the system has). We ask the loader
/// ourselves to get its actual error text.
/// </remarks>
public static class TorchRuntime
{
    private const string BackendFile = "libLibTorchSharp.so";

    // ExecutionAndPublication: the native load runs once; the outcome (null = loaded) is cached,
    // since a failed dlopen will not succeed on a retry within the same process.
    private static readonly Lazy<TorchLoadException?> Failure = new(TryLoad, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True once <see cref="EnsureLoaded"/> has run and TorchSharp initialised; never triggers a load.</summary>
    public static bool IsLoaded => Failure.IsValueCreated && Failure.Value is null;

    /// <summary>Initialises TorchSharp on the CPU; cheap after the first call.</summary>
    /// <exception cref="TorchLoadException">The native backend could not be loaded.</exception>
    public static void EnsureLoaded()
    {
        if (Failure.Value is { } failure)
            throw new TorchLoadException(failure.Message, failure.InnerException); // fresh instance: clean stack per caller
    }

    private static TorchLoadException? TryLoad()
    {
        // OpenMP threads spin while idle by default; on a small shared machine that starves the bus, the broker and the
        // other threads of this process (a 10 ms optimizer step was seen taking 900 ms). libgomp reads this once, at load.
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null)
            Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE");
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            using var sum = torch.ones(1).sum(); // a real op: proves the backend works, not only that it loaded
            _ = sum.item<float>();
            return null;
        }
        catch (Exception ex)
        {
            return new TorchLoadException(Diagnose(), ex);
        }
    }

    private static string Diagnose()
    {
        if (!OperatingSystem.IsLinux())
            return "TorchSharp failed to initialise (native backend diagnosis is implemented for Linux only; see the inner exception).";

        // RID-specific builds put the native assets beside the app; RID-less builds under runtimes/<rid>/native.
        string baseDir = AppContext.BaseDirectory;
        string? path = new[] { Path.Combine(baseDir, BackendFile), Path.Combine(baseDir, "runtimes", "linux-x64", "native", BackendFile) }
            .FirstOrDefault(File.Exists);
        if (path is null)
            return $"{BackendFile} is not in the build output ({baseDir}): the TorchSharp/libtorch-cpu-linux-x64 native package was not copied there.";

        // NativeLibrary.Load's DllNotFoundException carries the loader's (dlerror) text, which
        // Marshal.GetLastPInvokeErrorMessage does not. Its RUNPATH ($ORIGIN) finds libtorch beside it.
        string loaderError;
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return $"{BackendFile} loads, but TorchSharp failed to initialise (see the inner exception).";
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            // The message is .NET boilerplate followed by the dlerror text on its own last line.
            loaderError = ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? ex.Message;
        }

        Match glibcxx = Regex.Match(loaderError, @"GLIBCXX_[0-9.]*[0-9]");
        if (glibcxx.Success)
            return $"{BackendFile} needs {glibcxx.Value} (this system's libstdc++ is older); rebuild with `dotnet build` so the build marks that need weak (see build/TorchSharpGlibcxxPatch.targets).";

        return $"{BackendFile} failed to load: {loaderError}";
    }
}
