using Pipeline.Modelling.Data;
using Pipeline.Modelling.Tests.Support;
using Pipeline.Data.Corpora;
using Pipeline.Data.Packages;

namespace Pipeline.Data.Tests;

/// <summary>These run the real apt clients against the machine's Debian mirror (fortunes-min is 56 kB).</summary>
public sealed class CorpusPullerTests
{
    [Fact]
    public async Task Pulling_fortunes_caches_verified_records_and_a_manifest_with_the_package_hash()
    {
        using var folder = new TemporaryFolder();
        var cache = new CorpusCache(Path.Combine(folder.Path, "pipeline", "corpora"));
        var stages = new List<PullStage>();

        var pulled = await new CorpusPuller(cache).PullAsync("fortunes", progress: p => stages.Add(p.Stage));

        Assert.True(pulled.Downloaded);
        var records = JsonlDataset.Read(pulled.RecordsPath);
        Assert.True(records.Count > 500, $"{records.Count} fortunes");
        Assert.Equal(["fortunes", "literature", "riddles"], records.Select(r => r.SubjectId).Distinct().Order());
        Assert.Equal("A day for firm decisions!!!!!  Or is it?", records[0].Text);
        Assert.DoesNotContain(records, r => r.Text!.Contains('\b') || r.Text.Split('\n').Contains("%"));

        var manifest = cache.ReadManifest("fortunes")!;
        var aptRecord = await new PackageClient(PackageClient.ProcessSearchPath).RunAsync("apt-cache", ["show", "--no-all-versions", "fortunes-min"], folder.Path, default);
        var file = Assert.Single(manifest.Files);
        Assert.Contains($"SHA256: {file.Sha256}", aptRecord);
        Assert.Equal("apt-cache SHA256 matched", file.Verification);
        Assert.Equal(records.Count, manifest.RecordCount);
        Assert.Equal(PackageIntegrity.Sha256Hex(pulled.RecordsPath), manifest.RecordsSha256);
        Assert.Equal([PullStage.Downloading, PullStage.Verifying, PullStage.Unpacking, PullStage.Parsing, PullStage.Writing, PullStage.Done], stages);

        var again = await new CorpusPuller(cache).PullAsync("fortunes");
        Assert.False(again.Downloaded);
    }

    [Fact]
    public async Task A_pull_cancelled_after_the_download_leaves_no_cache_folder()
    {
        using var folder = new TemporaryFolder();
        var cache = new CorpusCache(folder.Path);
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new CorpusPuller(cache).PullAsync("fortunes",
            progress: p => { if (p.Stage == PullStage.Unpacking) cancellation.Cancel(); }, cancellationToken: cancellation.Token));

        Assert.False(cache.IsCached("fortunes"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData("sotu", "npm is not installed: apt-get install npm")]
    [InlineData("fortunes", "apt-get is not installed: apt-get install apt")]
    public async Task A_missing_client_is_named_with_the_package_to_install(string corpus, string expected)
    {
        using var folder = new TemporaryFolder();
        var emptyPath = Directory.CreateDirectory(Path.Combine(folder.Path, "bin")).FullName;
        var cache = new CorpusCache(Path.Combine(folder.Path, "cache"));

        var error = await Assert.ThrowsAsync<CorpusPullException>(() => new CorpusPuller(cache, emptyPath).PullAsync(corpus));

        Assert.Equal(expected, error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache.Root));
    }

    [Fact]
    public async Task A_failed_client_command_reports_the_last_line_of_its_error_output()
    {
        using var folder = new TemporaryFolder();
        var error = await Assert.ThrowsAsync<CorpusPullException>(() => new PackageClient(PackageClient.ProcessSearchPath)
            .RunAsync("apt-cache", ["show", "--no-all-versions", "no-such-package-pipeline-test"], folder.Path, default, failureHint: "run apt-get update"));

        Assert.Contains("failed (exit 100): E: No packages found — run apt-get update", error.Message);
    }

    [Fact]
    public async Task An_unknown_corpus_name_is_refused_with_the_known_names()
    {
        using var folder = new TemporaryFolder();
        var error = await Assert.ThrowsAsync<DatasetNotFoundException>(() => new CorpusPuller(new CorpusCache(folder.Path)).PullAsync("wikipedia"));
        Assert.Contains("sotu, moby-dick, spam-assassin, fortunes", error.Message);
    }
}
