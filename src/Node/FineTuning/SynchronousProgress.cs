namespace Pipeline.Node.FineTuning;

/// <summary>Progress&lt;T&gt; posts to the thread pool and may report out of order; this reports on the caller's thread.</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

public static class SynchronousProgress
{
    public static SynchronousProgress<Pipeline.Modelling.Training.TrainingProgress> Of(Action<Pipeline.Modelling.Training.TrainingProgress> report) => new(report);
}
