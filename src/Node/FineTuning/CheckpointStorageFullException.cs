namespace Pipeline.Node.FineTuning;

/// <summary>
/// An epoch's checkpoint does not fit (the free-space guard said so before writing, or the file system ran out while
/// writing). The message starts "checkpoint storage full:" and names the folder and the bytes free and needed; the run
/// is suspended, not failed: once room is made, a redelivered StartFineTune resumes it.
/// </summary>
public sealed class CheckpointStorageFullException(string message, Exception? inner = null) : IOException(message, inner)
{
    public const string ReasonPrefix = "checkpoint storage full:";
}
