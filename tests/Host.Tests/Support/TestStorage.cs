namespace Pipeline.Host.Tests.Support;

/// <summary>
/// Where test hosts may read and write: the tests keep every run, checkpoint and plugin folder under the temporary
/// folder, so that is the checkpoint root a test host gets unless the test sets Storage:CheckpointRoot itself.
/// </summary>
public static class TestStorage
{
    public static Dictionary<string, string?> Confined(IDictionary<string, string?> settings)
    {
        var confined = new Dictionary<string, string?>(settings);
        confined.TryAdd("Storage:CheckpointRoot", Path.GetTempPath());
        return confined;
    }
}
