using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.Plugins;
using Pipeline.Host.Tests.Support;
using Pipeline.Node.Plugins;

namespace Pipeline.Host.Tests.Plugins;

public sealed class PluginCatalogTests
{
    private static PluginCatalog Catalog(string directory, bool hotReload = false) =>
        new(Options.Create(new PluginOptions { Directory = directory, HotReload = hotReload, ReloadDelayMilliseconds = 200 }),
            NullLogger<PluginCatalog>.Instance);

    [Fact]
    public void Plugins_are_found_by_scanning_and_listed_with_role_version_and_file()
    {
        var directory = TestPlugins.NewDirectory();
        TestPlugins.Install(directory, "RecordingPlugins", "RecordingPlugins");
        TestPlugins.Install(directory, "LossGap", "LossGap");

        using var catalog = Catalog(directory);

        Assert.Equal(["crashing-scorer", "flaky-scorer", "loss-gap", "recording-compressor", "recording-forgetter", "recording-scorer", "slow-scorer", "stop-at-three"],
            catalog.All.Select(p => p.Name));
        var lossGap = catalog.All.Single(p => p.Name == "loss-gap");
        Assert.Equal(["epoch-scorer"], lossGap.Roles);
        Assert.Equal(Path.Combine(directory, "LossGap", "LossGap.dll"), lossGap.File);
        Assert.StartsWith("0.1.0", lossGap.Version);
        Assert.Single(catalog.OfRole<IForgetter>());
        Assert.Single(catalog.OfRole<ITrainingPolicy>());
        Assert.Equal(5, catalog.OfRole<IEpochScorer>().Count);
    }

    [Fact]
    public void A_plugin_that_does_not_load_is_reported_and_the_others_still_load()
    {
        var directory = TestPlugins.NewDirectory();
        TestPlugins.Install(directory, "LossGap", "LossGap");
        Directory.CreateDirectory(Path.Combine(directory, "Broken"));
        File.WriteAllText(Path.Combine(directory, "Broken", "Broken.dll"), "this is not an assembly");

        using var catalog = Catalog(directory);

        Assert.Equal(["loss-gap"], catalog.All.Select(p => p.Name));
        Assert.True(catalog.Errors.ContainsKey("Broken"));
    }

    [Fact]
    public void A_missing_plugin_directory_means_no_plugins_not_a_crash()
    {
        using var catalog = Catalog(Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N")));
        Assert.Empty(catalog.All);
    }

    [Fact]
    public async Task Replacing_a_plugins_files_swaps_the_new_version_in()
    {
        var directory = TestPlugins.NewDirectory();
        TestPlugins.Install(directory, "v1", "VersionedScorer");
        using var catalog = Catalog(directory, hotReload: true);
        var (plugin, scorer) = catalog.OfRole<IEpochScorer>().Single();
        Assert.Equal(1, (await scorer.ScoreAsync(Messages.Epoch(Guid.NewGuid(), 1), default))["plugin_version"]);
        var swapped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        catalog.Reloaded += _ =>
        {
            if (catalog.All.Any(p => p.Version.StartsWith("2.")))
                swapped.TrySetResult();
        };

        TestPlugins.Install(directory, "v2", "VersionedScorer");
        await swapped.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var (_, newScorer) = catalog.OfRole<IEpochScorer>().Single();
        Assert.Equal(2, (await newScorer.ScoreAsync(Messages.Epoch(Guid.NewGuid(), 1), default))["plugin_version"]);
        // The old instance still works for a call that was already holding it.
        Assert.Equal(1, (await scorer.ScoreAsync(Messages.Epoch(Guid.NewGuid(), 1), default))["plugin_version"]);
        Assert.Equal("versioned-scorer", plugin.Name);
    }

    [Fact]
    public async Task A_plugin_folder_added_while_running_is_picked_up()
    {
        var directory = TestPlugins.NewDirectory();
        using var catalog = Catalog(directory, hotReload: true);
        Assert.Empty(catalog.All);
        var added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        catalog.Reloaded += _ =>
        {
            if (catalog.All.Any(p => p.Name == "loss-gap"))
                added.TrySetResult();
        };

        TestPlugins.Install(directory, "LossGap", "LossGap");

        await added.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }
}
