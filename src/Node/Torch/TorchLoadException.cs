namespace Pipeline.Node.Torch;

/// <summary>
/// TorchSharp's native backend could not be loaded. The message is one line naming the real cause
/// (found by <see cref="TorchRuntime"/>), not TorchSharp's generic "doesn't contain a reference to libtorch".
/// </summary>
public sealed class TorchLoadException : Exception
{
    public TorchLoadException() { }

    public TorchLoadException(string message) : base(message) { }

    public TorchLoadException(string message, Exception? innerException) : base(message, innerException) { }
}
