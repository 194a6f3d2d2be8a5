using MassTransit;

namespace Pipeline.Lab.Benchmarks.Bus;

public sealed class BenchPingConsumer(BenchRecorder recorder) : IConsumer<BenchPing>
{
    public Task Consume(ConsumeContext<BenchPing> context)
    {
        recorder.Record(context.Message.SentTicks);
        return Task.CompletedTask;
    }
}
