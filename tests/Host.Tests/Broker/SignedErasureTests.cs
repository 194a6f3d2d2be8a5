using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Erasure.Security;

namespace Pipeline.Host.Tests.Broker;

/// <summary>
/// Erasure requests over the real broker are acted on only when signed by a configured publisher, fresh and with a
/// new nonce; every other request is refused with its reason, audited in the ledger's refused list, and never enters
/// the erasures.
/// </summary>
public sealed class SignedErasureTests : BrokerTest
{
    [Fact]
    public async Task Unsigned_wrongly_signed_tampered_unknown_stale_future_and_replayed_requests_are_refused_audited_and_never_acted_on()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync();
        var genuine = Messages.Unlearn("genuine");
        var otherKey = Enumerable.Repeat((byte)9, 32).ToArray();
        // A publisher re-using a nonce for another request (the key signs it correctly): the nonce gives it away.
        var reusedNonce = genuine with { RequestId = Guid.NewGuid(), SubjectId = "reused" };
        reusedNonce = reusedNonce with { Signature = ErasureRequestSignature.Compute(reusedNonce, TestPublisher.Key) };
        var hostile = new List<(string Reason, UnlearnRequested Request)>
        {
            ("unsigned", new(Guid.NewGuid(), "unsigned", "dataset", ["r1"], null, DateTimeOffset.UtcNow)),
            ("signature does not match", ErasureRequestSignature.Sign(new UnlearnRequested(Guid.NewGuid(), "wrong-key", null, null, null, DateTimeOffset.UtcNow),
                TestPublisher.Name, otherKey)),
            // Signed, then a field changed: someone else's subject put into a genuine request.
            ("signature does not match", Messages.Unlearn("alice") with { SubjectId = "bob" }),
            ("unknown publisher", ErasureRequestSignature.Sign(new UnlearnRequested(Guid.NewGuid(), "stranger", null, null, null, DateTimeOffset.UtcNow),
                "stranger", otherKey)),
            ("stale", TestPublisher.Sign(new UnlearnRequested(Guid.NewGuid(), "old", null, null, null, DateTimeOffset.UtcNow.AddHours(-2)))),
            ("in the future", TestPublisher.Sign(new UnlearnRequested(Guid.NewGuid(), "ahead", null, null, null, DateTimeOffset.UtcNow.AddMinutes(5)))),
            ("replayed", reusedNonce),
        };

        await host.Bus.Publish(genuine);
        await host.WaitForAsync<UnlearningCompleted>(c => c.RequestId == genuine.RequestId);
        foreach (var (_, request) in hostile)
            await host.Bus.Publish(request);

        foreach (var (reason, request) in hostile)
        {
            var rejected = await host.WaitForAsync<UnlearningRejected>(r => r.RequestId == request.RequestId);
            Assert.Contains(reason, rejected.Reason);
            Assert.StartsWith("not authenticated: ", rejected.Reason);
        }
        var ledger = host.Services.GetRequiredService<IErasureLedger>();
        Assert.Equal([genuine.RequestId], ledger.List().Select(r => r.RequestId));
        var refused = ledger.Refused();
        Assert.Equal(hostile.Count, refused.Count);
        Assert.All(hostile, h => Assert.Single(refused, r => r.RequestId == h.Request.RequestId && r.Reason.Contains(h.Reason)));
        Assert.Single(host.Observed<UnlearningCompleted>());
    }

    [Fact]
    public async Task A_node_that_does_not_require_signatures_acts_on_an_unsigned_request()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync(new Dictionary<string, string?> { ["Security:Erasure:RequireSignature"] = "false" });
        var request = new UnlearnRequested(Guid.NewGuid(), "bench-subject", null, null, null, DateTimeOffset.UtcNow);

        await host.Bus.Publish(request);

        await host.WaitForAsync<UnlearningCompleted>(c => c.RequestId == request.RequestId);
        Assert.Empty(host.Services.GetRequiredService<IErasureLedger>().Refused());
    }

    [Fact]
    public async Task A_publisher_key_shorter_than_32_bytes_stops_the_node_at_start_up_with_the_reason()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => StartHostAsync(new Dictionary<string, string?>
        {
            ["Security:Erasure:Publishers:weak:Key"] = Convert.ToBase64String(new byte[16]),
        }));

        Assert.Contains("at least 32 are needed", failure.ToString());
    }
}
