namespace Pipeline.Node.Bus;

/// <summary>
/// The event that tells whoever waits on a message of type T that this node refused it (invalid, or naming a path
/// outside its folders). A refused message only goes to the _error queue, and MassTransit publishes no typed Fault
/// for an exception thrown before the consumer, so without a notice a publisher waiting for an outcome waits forever.
/// Null: nothing to say (no id to answer to).
/// </summary>
public interface IRefusalNotice<in T> where T : class
{
    object? NoticeFor(T message, string reason);
}
