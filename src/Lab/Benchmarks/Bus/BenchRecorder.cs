using System.Diagnostics;

namespace Pipeline.Lab.Benchmarks.Bus;

/// <summary>Collects publish→consume latencies and signals when the expected number of messages has arrived.</summary>
public sealed class BenchRecorder
{
    private readonly object _lock = new();
    private double[] _latenciesMs = [];
    private int _received;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Expect(int count)
    {
        lock (_lock)
        {
            _latenciesMs = new double[count];
            _received = 0;
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public Task AllReceived => _done.Task;

    public void Record(long sentTicks)
    {
        var latency = Stopwatch.GetElapsedTime(sentTicks).TotalMilliseconds;
        lock (_lock)
        {
            if (_received >= _latenciesMs.Length)
                return;
            _latenciesMs[_received++] = latency;
            if (_received == _latenciesMs.Length)
                _done.TrySetResult();
        }
    }

    public double[] Latencies()
    {
        lock (_lock)
            return _latenciesMs[.._received];
    }
}
