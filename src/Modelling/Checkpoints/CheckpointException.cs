namespace Pipeline.Modelling.Checkpoints;

/// <summary>
/// A checkpoint that cannot be read or does not fit the model: missing, truncated or corrupt files, missing tensors,
/// wrong shapes. The message is one line that names the file and, where there is one, the tensor.
/// </summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException(string message) : base(message) { }

    public CheckpointException(string message, Exception inner) : base(message, inner) { }

    internal static CheckpointException InFile(string path, string problem, Exception? inner = null)
    {
        var message = $"{Path.GetFileName(path)}: {problem}";
        return inner is null ? new CheckpointException(message) : new CheckpointException(message, inner);
    }
}
