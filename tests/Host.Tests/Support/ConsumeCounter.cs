using MassTransit;

namespace Pipeline.Host.Tests.Support;

/// <summary>Counts messages of type T whose consumers have finished (successfully or not) on a bus.</summary>
public sealed class ConsumeCounter<T> : IConsumeMessageObserver<T> where T : class
{
    private readonly SemaphoreSlim _finished = new(0);
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public Task PreConsume(ConsumeContext<T> context) => Task.CompletedTask;

    public Task PostConsume(ConsumeContext<T> context) => Finished();

    public Task ConsumeFault(ConsumeContext<T> context, Exception exception) => Finished();

    public async Task WaitForAsync(int count, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(60));
        while (Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _finished.WaitAsync(left))
                throw new TimeoutException($"{Count} of {count} {typeof(T).Name} consumed");
        }
    }

    private Task Finished()
    {
        Interlocked.Increment(ref _count);
        _finished.Release();
        return Task.CompletedTask;
    }
}
