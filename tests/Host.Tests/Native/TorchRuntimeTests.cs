using System.Security.Cryptography;
using TorchSharp;
using Pipeline.Node.Torch;

namespace Pipeline.Host.Tests.Native;

/// <summary>The build's GLIBCXX patch makes TorchSharp load on Debian 12, without touching the NuGet cache.</summary>
public sealed class TorchRuntimeTests
{
    private const string OriginalSha256 = "cf33b1b0bb6bbb9754a768fb5c5d04d9f498603be50e73f55621a0b40ee608b8";

    [Fact]
    public void TorchSharp_loads_from_the_build_output_and_computes()
    {
        TorchRuntime.EnsureLoaded();

        using var sum = torch.arange(1, 5, dtype: torch.float32).sum();
        Assert.Equal(10f, sum.item<float>());
        Assert.True(TorchRuntime.IsLoaded);
    }

    [Fact]
    public void The_nuget_cache_copy_of_the_native_library_is_left_as_published()
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Path.Combine(cache, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var output = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        Assert.True(File.Exists(cached), $"expected the restored package at {cached}");

        Assert.Equal(OriginalSha256, Sha256(cached));
        Assert.NotEqual(OriginalSha256, Sha256(output)); // the output copy is the patched one
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
