using Pipeline.Contracts.Messages;
using Pipeline.Node.Bus;

namespace Pipeline.Node.FineTuning;

/// <summary>A refused StartFineTune ends its run before it started: FineTuneFailed, so `finetune` and other followers stop waiting.</summary>
public sealed class StartFineTuneRefusalNotice : IRefusalNotice<StartFineTune>
{
    public object? NoticeFor(StartFineTune message, string reason) =>
        message.RunId == Guid.Empty ? null : new FineTuneFailed(message.RunId, null, reason, DateTimeOffset.UtcNow);
}
