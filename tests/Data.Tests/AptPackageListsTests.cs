using System.Diagnostics;
using Pipeline.Data.Corpora;
using Pipeline.Data.Packages;
using Pipeline.Modelling.Tests.Support;

namespace Pipeline.Data.Tests;

/// <summary>
/// A fresh Debian machine has no apt package lists. These tests give apt a configuration of their own (APT_CONFIG) whose
/// lists and caches are empty folders, as on such a machine, and run the real clients.
/// </summary>
public sealed class AptPackageListsTests
{
    [Theory]
    [InlineData("never", true)]
    [InlineData("auto", false)]
    public async Task Missing_lists_that_may_not_be_refreshed_stop_the_pull_at_once_with_the_command_to_run(string policy, bool root)
    {
        using var folder = new TemporaryFolder();
        var apt = FreshApt(folder);
        var puller = new CorpusPuller(new CorpusCache(Path.Combine(folder.Path, "cache")), PackageClient.ProcessSearchPath,
            new Dictionary<string, string> { ["APT_CONFIG"] = apt.Config, [AptPackageLists.Variable] = policy }, isRoot: () => root);

        var error = await Assert.ThrowsAsync<CorpusPullException>(() => puller.PullAsync("fortunes"));

        Assert.Contains("no package lists", error.Message);
        Assert.Contains("sudo apt-get update", error.Message);
        Assert.False(AptPackageLists.Present(apt.Lists), "the lists were refreshed although that was not allowed");
        Assert.Null(puller.Cache.ReadManifest("fortunes"));
    }

    [Fact]
    public async Task An_unknown_policy_is_an_error_naming_the_variable()
    {
        using var folder = new TemporaryFolder();
        var apt = FreshApt(folder);
        var puller = new CorpusPuller(new CorpusCache(Path.Combine(folder.Path, "cache")), PackageClient.ProcessSearchPath,
            new Dictionary<string, string> { ["APT_CONFIG"] = apt.Config, [AptPackageLists.Variable] = "sometimes" }, isRoot: () => true);

        var error = await Assert.ThrowsAsync<CorpusPullException>(() => puller.PullAsync("fortunes"));
        Assert.Contains(AptPackageLists.Variable, error.Message);
    }

    [SkippableFact]
    public async Task Missing_lists_are_refreshed_by_a_root_process_which_says_so_and_the_pull_succeeds()
    {
        var isRoot = Environment.UserName == "root";
        Skip.If(!isRoot && Environment.GetEnvironmentVariable("CI") is null, "apt-get update needs root; CI runs this as root");
        Assert.True(isRoot, "CI must run this test as root (apt-get update needs it)");
        using var folder = new TemporaryFolder();
        var apt = FreshApt(folder);
        var puller = new CorpusPuller(new CorpusCache(Path.Combine(folder.Path, "cache")), PackageClient.ProcessSearchPath,
            new Dictionary<string, string> { ["APT_CONFIG"] = apt.Config });
        var messages = new List<string>();

        var pulled = await puller.PullAsync("fortunes", progress: p => messages.Add(p.Message));

        Assert.True(pulled.Downloaded);
        Assert.True(pulled.Manifest.RecordCount > 500);
        Assert.Single(messages, m => m.Contains("running apt-get update"));
        Assert.True(AptPackageLists.Present(apt.Lists));
    }

    private sealed record AptFolders(string Config, string Lists);

    /// <summary>An apt configuration whose lists and package caches are new empty folders (the system's are not touched).</summary>
    private static AptFolders FreshApt(TemporaryFolder folder)
    {
        var lists = Directory.CreateDirectory(Path.Combine(folder.Path, "apt", "lists", "partial")).Parent!.FullName;
        var cache = Directory.CreateDirectory(Path.Combine(folder.Path, "apt", "cache", "archives", "partial")).Parent!.Parent!.FullName;
        var config = Path.Combine(folder.Path, "apt", "apt.conf");
        File.WriteAllText(config, $"Dir::State::Lists \"{lists}/\";\nDir::Cache \"{cache}/\";\n");
        // _apt (apt's download sandbox user) must be able to write there, as in /var/lib/apt/lists.
        foreach (var path in new[] { folder.Path, Path.Combine(folder.Path, "apt"), lists, Path.Combine(lists, "partial"), cache })
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);
        Debug.Assert(!AptPackageLists.Present(lists));
        return new AptFolders(config, lists);
    }
}
