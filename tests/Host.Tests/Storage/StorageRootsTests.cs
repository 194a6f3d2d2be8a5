using Microsoft.Extensions.Options;
using Pipeline.Node.Storage;

namespace Pipeline.Host.Tests.Storage;

public sealed class StorageRootsTests : IDisposable
{
    private readonly string _sandbox = Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"));
    private readonly string _root;
    private readonly string _models;

    public StorageRootsTests()
    {
        _root = Directory.CreateDirectory(Path.Combine(_sandbox, "runs")).FullName;
        _models = Directory.CreateDirectory(Path.Combine(_sandbox, "models")).FullName;
        Directory.CreateDirectory(Path.Combine(_sandbox, "outside"));
    }

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);

    private StorageRoots Roots(params TrustedFolder[] trusted) =>
        new(Options.Create(new StorageOptions { CheckpointRoot = _root, Roots = [_models] }), trusted);

    [Fact]
    public void A_path_inside_the_checkpoint_root_is_accepted_even_before_it_exists()
    {
        Assert.True(Roots().InCheckpointRoot(Path.Combine(_root, "run-1", "checkpoints", "epoch-001")));
        Assert.True(Roots().InCheckpointRoot(_root));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("ROOT/../outside/epoch-001")]
    [InlineData("ROOT/run/../../outside")]
    [InlineData("ROOT-sibling/epoch-001")] // a folder whose name only starts like the root's
    [InlineData("ROOT/\0/epoch")]
    [InlineData("")]
    public void Traversal_absolute_paths_look_alike_siblings_and_non_paths_are_refused(string path) =>
        Assert.False(Roots().InCheckpointRoot(path.Replace("ROOT", _root)));

    [Fact]
    public void A_symbolic_link_inside_the_root_that_points_outside_counts_as_outside()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), Path.Combine(_sandbox, "outside"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "relative-escape"), "../outside");
        Directory.CreateSymbolicLink(Path.Combine(_root, "loop"), Path.Combine(_root, "loop"));

        Assert.False(Roots().InCheckpointRoot(Path.Combine(_root, "escape", "epoch-001")));
        Assert.False(Roots().InCheckpointRoot(Path.Combine(_root, "relative-escape", "epoch-001")));
        Assert.False(Roots().InCheckpointRoot(Path.Combine(_root, "loop", "x")));
    }

    [Fact]
    public void A_root_reached_through_a_link_still_holds_its_own_files()
    {
        var linked = Path.Combine(_sandbox, "linked-runs");
        Directory.CreateSymbolicLink(linked, _root);
        var roots = new StorageRoots(Options.Create(new StorageOptions { CheckpointRoot = linked }), []);

        Assert.True(roots.InCheckpointRoot(Path.Combine(_root, "run-1")));
        Assert.True(roots.InCheckpointRoot(Path.Combine(linked, "run-1")));
        Assert.False(roots.InCheckpointRoot(Path.Combine(_sandbox, "outside")));
    }

    [Fact]
    public void Base_models_and_data_sets_may_come_from_the_read_roots_corpora_or_the_local_base_model_only()
    {
        var roots = Roots();
        Assert.True(roots.MayReadBaseModel("base"));
        Assert.True(roots.MayReadBaseModel(Path.Combine(_models, "pythia-70m")));
        Assert.True(roots.MayReadBaseModel(Path.Combine(_root, "run-1", "checkpoints", "best"))); // a fine-tuned model tuned again
        Assert.False(roots.MayReadBaseModel("/etc"));
        Assert.True(roots.MayReadDataset("fortunes"));
        Assert.True(roots.MayReadDataset(Path.Combine(_models, "tickets.jsonl")));
        Assert.False(roots.MayReadDataset("/etc/passwd"));
        Assert.False(roots.MayReadDataset("no-such-corpus"));
    }

    [Fact]
    public void Folders_named_on_the_command_line_are_trusted_for_what_they_were_named_for()
    {
        var output = Path.Combine(_sandbox, "outside", "my-runs");
        var data = Path.Combine(_sandbox, "outside", "data");
        var roots = Roots(new TrustedFolder(output, HoldsCheckpoints: true), new TrustedFolder(data, HoldsCheckpoints: false));

        Assert.True(roots.InCheckpointRoot(Path.Combine(output, "run-1", "checkpoints", "epoch-001")));
        Assert.True(roots.MayReadDataset(Path.Combine(data, "tickets.jsonl")));
        Assert.False(roots.InCheckpointRoot(Path.Combine(data, "run-1"))); // read, never written
    }
}
