using Pipeline.Node.Bus;

namespace Pipeline.Host.Tests.Bus;

public sealed class DeterministicMessageIdTests
{
    [Fact]
    public void An_event_announced_again_gets_the_id_of_its_first_announcement_and_other_events_get_other_ids()
    {
        var run = Guid.NewGuid();
        Assert.Equal(DeterministicMessageId.For(run, "epoch-completed", 3), DeterministicMessageId.For(run, "epoch-completed", 3));
        var others = new[]
        {
            DeterministicMessageId.For(run, "epoch-completed", 3), DeterministicMessageId.For(run, "epoch-completed", 4),
            DeterministicMessageId.For(run, "checkpoint-saved/epoch", 3), DeterministicMessageId.For(Guid.NewGuid(), "epoch-completed", 3),
            DeterministicMessageId.For(run, "fine-tune-completed"),
        };
        Assert.Equal(others.Length, others.Distinct().Count());
        Assert.Equal(8, DeterministicMessageId.For(run, "fine-tune-completed").Version);
    }

    [Fact]
    public void A_reply_to_a_redelivered_message_gets_the_same_id_and_a_reply_to_a_message_without_id_a_fresh_one()
    {
        var consumed = Guid.NewGuid();
        Assert.Equal(DeterministicMessageId.ReplyTo(consumed, "epoch-scored"), DeterministicMessageId.ReplyTo(consumed, "epoch-scored"));
        Assert.NotEqual(DeterministicMessageId.ReplyTo(consumed, "epoch-scored"), DeterministicMessageId.ReplyTo(consumed, "epoch-reviewed"));
        Assert.NotEqual(DeterministicMessageId.ReplyTo(null, "epoch-scored"), DeterministicMessageId.ReplyTo(null, "epoch-scored"));
    }
}
