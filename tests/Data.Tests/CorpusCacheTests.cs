using System.Diagnostics;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Tests.Support;
using Pipeline.Data.Corpora;

namespace Pipeline.Data.Tests;

public sealed class CorpusCacheTests
{
    [Fact]
    public void The_default_root_follows_xdg_cache_home_and_falls_back_to_home_cache()
    {
        Assert.Equal("/x/cache/pipeline/corpora", CorpusCache.DefaultRoot(n => n == "XDG_CACHE_HOME" ? "/x/cache" : "/home/u"));
        Assert.Equal("/home/u/.cache/pipeline/corpora", CorpusCache.DefaultRoot(n => n == "HOME" ? "/home/u" : null));
        // The XDG spec says a relative path is invalid and must be ignored.
        Assert.Equal("/home/u/.cache/pipeline/corpora", CorpusCache.DefaultRoot(n => n == "XDG_CACHE_HOME" ? "relative" : "/home/u"));
    }

    [Fact]
    public void A_pull_that_is_abandoned_before_commit_leaves_nothing_in_the_cache()
    {
        using var folder = new TemporaryFolder();
        var cache = new CorpusCache(folder.Path);
        using (var staging = cache.BeginPull("fortunes"))
            File.WriteAllText(Path.Combine(staging.WorkFolder, "half.deb"), "partial download");

        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
        Assert.False(cache.IsCached("fortunes"));
    }

    [Fact]
    public void A_committed_pull_appears_complete_and_replaces_an_older_copy()
    {
        using var folder = new TemporaryFolder();
        var cache = new CorpusCache(folder.Path);
        Commit(cache, "sotu", "old");
        Commit(cache, "sotu", "new");

        Assert.True(cache.IsCached("sotu"));
        Assert.Equal("new", Assert.Single(JsonlDataset.Read(cache.RecordsPathOf("sotu"))).Text);
        Assert.Equal(1, cache.ReadManifest("sotu")!.RecordCount);
        Assert.Equal(["sotu"], Directory.GetDirectories(folder.Path).Select(Path.GetFileName));
        Assert.Equal(["manifest.json", "records.jsonl"], Directory.GetFiles(cache.FolderOf("sotu")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void The_next_pull_removes_the_temporary_folder_of_a_process_that_died_mid_pull()
    {
        using var folder = new TemporaryFolder();
        using var exited = Process.Start(new ProcessStartInfo("true"))!;
        exited.WaitForExit();
        var abandoned = Path.Combine(folder.Path, $".pull-sotu-{exited.Id}-0123456789abcdef");
        Directory.CreateDirectory(Path.Combine(abandoned, "work"));

        using (new CorpusCache(folder.Path).BeginPull("moby-dick"))
            Assert.False(Directory.Exists(abandoned));
    }

    internal static void Commit(CorpusCache cache, string name, string text)
    {
        using var staging = cache.BeginPull(name);
        staging.Commit([TextRecord.Plain("1", "s", text)], (subjects, bytes, sha) => new CorpusManifest(
            name, PackageRegistry.Npm, "pkg", "1.0", [], "test layout", 1, subjects, bytes, sha, new Dictionary<string, int>(), DateTimeOffset.UtcNow));
    }
}
