namespace Pipeline.Node.Bus;

/// <summary>
/// A message failed its validator. Never retried: the message goes to its endpoint's _error queue, and this
/// exception's text (every validation error) travels with it in the fault headers.
/// </summary>
public sealed class MessageValidationException(string messageType, IReadOnlyList<string> errors)
    : Exception($"invalid {messageType}: {string.Join(" ", errors)}")
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
