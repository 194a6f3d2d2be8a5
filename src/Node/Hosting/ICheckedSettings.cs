namespace Pipeline.Node.Hosting;

/// <summary>A settings class that can say what is wrong with its values, each problem naming its key within the section.</summary>
public interface ICheckedSettings
{
    /// <summary>(key, reason) for each value the node cannot use; none when all is well.</summary>
    IEnumerable<(string Key, string Reason)> Problems();
}
