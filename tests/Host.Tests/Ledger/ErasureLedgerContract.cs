using System.Collections.Concurrent;
using Pipeline.Host.Tests.Support;
using Pipeline.Node.Erasure.Ledger;

namespace Pipeline.Host.Tests.Ledger;

/// <summary>
/// What every ledger provider must do, run once per provider by its subclass. "Two nodes" are two ledger instances on
/// the same store, as two `serve` processes sharing the SQLite file or the PostgreSQL database would have.
/// </summary>
public abstract class ErasureLedgerContract : IDisposable
{
    /// <summary>An empty ledger of this test's own.</summary>
    protected abstract IErasureLedger NewLedger();

    /// <summary>Another instance on the same store as <paramref name="ledger"/>: another node, or this node after a restart.</summary>
    protected abstract IErasureLedger SecondNode(IErasureLedger ledger);

    /// <summary>Everything the store holds, as someone reading it (the disk, or the database over SQL) would see it.</summary>
    protected abstract string StoredText(IErasureLedger ledger);

    public virtual void Dispose() => GC.SuppressFinalize(this);

    [SkippableFact]
    public void Recording_the_same_request_twice_keeps_one_row()
    {
        var ledger = NewLedger();
        var request = Messages.Unlearn();

        Assert.True(ledger.RecordReceived(request, "subj_x", "n1"));
        Assert.False(ledger.RecordReceived(request, "subj_x", "n2"));

        Assert.Single(ledger.List());
        Assert.Single(ledger.Find(request.RequestId)!.Transitions);
    }

    [SkippableFact]
    public void A_request_survives_reopening_the_ledger_and_is_still_pending()
    {
        var ledger = NewLedger();
        var request = Messages.Unlearn() with { Reference = "DSR-2026-0042" };
        ledger.RecordReceived(request, "subj_x", "n1");

        var reopened = SecondNode(ledger);

        Assert.Equal([request.RequestId], reopened.PendingFor("n1"));
        var record = reopened.Find(request.RequestId)!;
        Assert.Equal(ErasureState.Received, record.State);
        Assert.Equal("subj_x", record.SubjectHash);
        Assert.Equal("DSR-2026-0042", record.Reference);
        Assert.Equal(request.RecordIds!.Count, record.RecordCount);
    }

    [SkippableFact]
    public void Only_one_node_can_claim_a_pending_erasure()
    {
        var ledger = NewLedger();
        var request = Messages.Unlearn();
        ledger.RecordReceived(request, "subj_x", "n1");

        var first = ledger.TryClaim(request.RequestId, "node-a");
        var second = ledger.TryClaim(request.RequestId, "node-b");

        Assert.NotNull(first);
        Assert.Equal(request.SubjectId, first.SubjectId);
        Assert.Equal(request.RecordIds, first.RecordIds);
        Assert.Equal("subj_x", first.SubjectHash);
        Assert.Null(second);
        Assert.Empty(ledger.PendingFor("node-b"));
        Assert.Equal([request.RequestId], ledger.PendingFor("node-a"));
    }

    [SkippableFact]
    public void A_released_claim_can_be_taken_by_another_node()
    {
        var ledger = NewLedger();
        var request = Messages.Unlearn();
        ledger.RecordReceived(request, "subj_x", "n1");
        ledger.TryClaim(request.RequestId, "node-a");

        ledger.Release(request.RequestId, "node-a");

        Assert.NotNull(ledger.TryClaim(request.RequestId, "node-b"));
    }

    [SkippableFact]
    public void States_are_recorded_in_order_with_their_times_and_evidence()
    {
        var ledger = NewLedger();
        var request = Messages.Unlearn();
        ledger.RecordReceived(request, "subj_x", "n1");
        ledger.Advance(request.RequestId, ErasureState.DataRemoved, "n1");
        ledger.Advance(request.RequestId, ErasureState.ModelUnlearned, "n1");
        ledger.Advance(request.RequestId, ErasureState.Verified, "n1", "auc 0.52");
        ledger.Complete(request.RequestId, "eupg", new Dictionary<string, double> { ["mia_auc"] = 0.52 }, "n1");

        var record = ledger.Find(request.RequestId)!;
        Assert.Equal(ErasureState.Completed, record.State);
        Assert.Equal(0.52, record.Evidence["mia_auc"]);
        Assert.Equal("eupg", record.Forgetter);
        Assert.Equal("n1", record.HandledBy);
        Assert.Equal([ErasureState.Received, ErasureState.DataRemoved, ErasureState.ModelUnlearned, ErasureState.Verified, ErasureState.Completed],
            record.Transitions.Select(t => t.State));
        Assert.Equal("auc 0.52", record.Transitions[3].Detail);
        Assert.True(record.Transitions.Zip(record.Transitions.Skip(1)).All(p => p.First.At <= p.Second.At));
        Assert.InRange(record.ReceivedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [SkippableFact]
    public void A_rejected_erasure_keeps_its_reason_and_the_newest_erasure_is_listed_first()
    {
        var ledger = NewLedger();
        var older = Messages.Unlearn();
        var newer = Messages.Unlearn();
        ledger.RecordReceived(older, "subj_a", "n1");
        ledger.RecordReceived(newer, "subj_b", "n1");

        ledger.Reject(older.RequestId, "no forgetter installed", "n1");

        Assert.Equal([newer.RequestId, older.RequestId], ledger.List().Select(r => r.RequestId));
        Assert.Equal([newer.RequestId], ledger.List(1).Select(r => r.RequestId));
        var rejected = ledger.Find(older.RequestId)!;
        Assert.Equal(ErasureState.Rejected, rejected.State);
        Assert.Equal("no forgetter installed", rejected.Reason);
        Assert.Null(ledger.Find(Guid.NewGuid()));
    }

    [SkippableFact]
    public void A_resumed_erasure_reporting_its_stages_again_records_each_state_once()
    {
        var ledger = NewLedger();
        var request = Messages.Unlearn();
        ledger.RecordReceived(request, "subj_x", "n1");
        Assert.True(ledger.Advance(request.RequestId, ErasureState.DataRemoved, "n1"));

        // The node crashed; after the restart the forgetter starts over.
        Assert.False(ledger.Advance(request.RequestId, ErasureState.DataRemoved, "n1"));
        Assert.True(ledger.Advance(request.RequestId, ErasureState.ModelUnlearned, "n1"));

        Assert.Equal([ErasureState.Received, ErasureState.DataRemoved, ErasureState.ModelUnlearned],
            ledger.Find(request.RequestId)!.Transitions.Select(t => t.State));
    }

    [SkippableFact]
    public void Once_an_erasure_ends_the_ledger_holds_no_subject_id_or_record_id()
    {
        var ledger = NewLedger();
        var request = Messages.Unlearn("jane.doe@example.org") with { RecordIds = ["ticket-771234"] };
        ledger.RecordReceived(request, "subj_hash", "n1");
        Assert.Contains("jane.doe@example.org", StoredText(ledger)); // kept while the work is pending

        ledger.Reject(request.RequestId, "no forgetter installed", "n1");

        var text = StoredText(ledger);
        Assert.DoesNotContain("jane.doe@example.org", text);
        Assert.DoesNotContain("ticket-771234", text);
        Assert.Contains("subj_hash", text);
        Assert.Empty(ledger.PendingFor("n1"));
    }

    [SkippableFact]
    public void Two_nodes_racing_to_claim_the_same_200_erasures_claim_each_exactly_once()
    {
        var nodeA = NewLedger();
        var nodeB = SecondNode(nodeA);
        var requests = Enumerable.Range(0, 200).Select(i => Messages.Unlearn($"subject-{i}")).ToList();
        foreach (var request in requests)
            nodeA.RecordReceived(request, "subj_x", "node-a");
        var claims = new ConcurrentBag<(string Node, Guid RequestId)>();
        using var start = new ManualResetEventSlim();

        // Both nodes walk the same erasures in the same order at the same time, several claims in flight on each.
        var racers = new[] { (Ledger: nodeA, Name: "node-a"), (Ledger: nodeB, Name: "node-b") }.Select(node => Task.Run(() =>
        {
            start.Wait();
            Parallel.ForEach(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, request =>
            {
                if (node.Ledger.TryClaim(request.RequestId, node.Name) is not null)
                    claims.Add((node.Name, request.RequestId));
            });
        })).ToList();
        start.Set();
        Task.WaitAll(racers);

        Assert.Equal(requests.Select(r => r.RequestId).Order(), claims.Select(c => c.RequestId).Order());
        foreach (var (name, ledger) in new[] { ("node-a", nodeA), ("node-b", nodeB) })
            Assert.Equal(claims.Where(c => c.Node == name).Select(c => c.RequestId).Order(), ledger.PendingFor(name).Order());
    }

    [SkippableFact]
    public void Two_nodes_reporting_the_same_state_at_once_record_it_once()
    {
        var nodeA = NewLedger();
        var nodeB = SecondNode(nodeA);
        var requests = Enumerable.Range(0, 20).Select(i => Messages.Unlearn($"subject-{i}")).ToList();
        foreach (var request in requests)
            nodeA.RecordReceived(request, "subj_x", "node-a");

        foreach (var request in requests)
        {
            using var start = new ManualResetEventSlim();
            var reports = Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            {
                start.Wait();
                return i % 2 == 0 ? nodeA.Advance(request.RequestId, ErasureState.DataRemoved, "node-a")
                    : nodeB.Advance(request.RequestId, ErasureState.DataRemoved, "node-b");
            })).ToList();
            start.Set();

            Assert.Single(Task.WhenAll(reports).Result, recorded => recorded);
            var record = nodeB.Find(request.RequestId)!;
            Assert.Equal([ErasureState.Received, ErasureState.DataRemoved], record.Transitions.Select(t => t.State));
            Assert.Equal(ErasureState.DataRemoved, record.State);
        }
    }

    [SkippableFact]
    public void Two_nodes_receiving_the_same_request_at_once_keep_one_row()
    {
        var nodeA = NewLedger();
        var nodeB = SecondNode(nodeA);
        var request = Messages.Unlearn();
        using var start = new ManualResetEventSlim();

        var receipts = Enumerable.Range(0, 6).Select(i => Task.Run(() =>
        {
            start.Wait();
            return (i % 2 == 0 ? nodeA : nodeB).RecordReceived(request, "subj_x", i % 2 == 0 ? "node-a" : "node-b");
        })).ToList();
        start.Set();

        Assert.Single(Task.WhenAll(receipts).Result, recorded => recorded);
        Assert.Single(nodeA.List());
        Assert.Single(nodeB.Find(request.RequestId)!.Transitions);
        Assert.Single(nodeB.PendingFor("node-b"));
    }

    [SkippableFact]
    public void A_nonce_used_on_one_node_is_known_as_used_on_the_other()
    {
        var nodeA = NewLedger();
        var nodeB = SecondNode(nodeA);
        var request = Guid.NewGuid();
        var since = DateTimeOffset.UtcNow.AddMinutes(-10);

        Assert.Equal(NonceUse.New, nodeA.UseNonce("crm", "nonce-1", request, since));

        Assert.Equal(NonceUse.SameRequest, nodeB.UseNonce("crm", "nonce-1", request, since)); // a redelivery
        Assert.Equal(NonceUse.OtherRequest, nodeB.UseNonce("crm", "nonce-1", Guid.NewGuid(), since)); // a replay under a new id
        Assert.Equal(NonceUse.New, nodeB.UseNonce("billing", "nonce-1", Guid.NewGuid(), since)); // nonces are per publisher
    }

    [SkippableFact]
    public void Of_two_nodes_using_one_nonce_at_once_for_different_requests_only_one_gets_it()
    {
        var nodeA = NewLedger();
        var nodeB = SecondNode(nodeA);
        var since = DateTimeOffset.UtcNow.AddMinutes(-10);

        for (var round = 0; round < 20; round++)
        {
            using var start = new ManualResetEventSlim();
            var uses = Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            {
                start.Wait();
                return (i % 2 == 0 ? nodeA : nodeB).UseNonce("crm", $"nonce-{round}", Guid.NewGuid(), since);
            })).ToList();
            start.Set();

            var answers = Task.WhenAll(uses).Result;
            Assert.Single(answers, use => use == NonceUse.New);
            Assert.All(answers.Where(use => use != NonceUse.New), use => Assert.Equal(NonceUse.OtherRequest, use));
        }
    }

    [SkippableFact]
    public void Receiving_a_signed_request_records_it_and_its_nonce_together()
    {
        var ledger = NewLedger();
        var since = DateTimeOffset.UtcNow.AddMinutes(-10);
        var request = Messages.Unlearn();
        var replay = Messages.Unlearn("someone-else");
        var claim = new NonceClaim("crm", "nonce-receipt-1", since);

        Assert.Equal(Receipt.Received, ledger.Receive(request, "subj_x", "n1", claim));
        Assert.Equal(Receipt.SameSignedRequestAgain, ledger.Receive(request, "subj_x", "n1", claim));
        Assert.Equal(Receipt.AlreadyReceived, ledger.Receive(request, "subj_x", "n1", claim with { Nonce = "nonce-receipt-2" }));
        Assert.Equal(Receipt.NonceOfAnotherRequest, ledger.Receive(replay, "subj_y", "n1", claim));

        Assert.Equal(ErasureState.Received, ledger.Find(request.RequestId)!.State);
        Assert.Null(ledger.Find(replay.RequestId)); // a replayed nonce stores nothing
        Assert.Equal(NonceUse.SameRequest, ledger.UseNonce("crm", "nonce-receipt-1", request.RequestId, since)); // the nonce was stored with it
        Assert.Single(ledger.PendingFor("n1"), request.RequestId);
    }

    [SkippableFact]
    public void Of_requests_received_at_once_on_two_nodes_with_one_nonce_only_one_is_recorded()
    {
        var nodeA = NewLedger();
        var nodeB = SecondNode(nodeA);
        var claim = new NonceClaim("crm", "nonce-race", DateTimeOffset.UtcNow.AddMinutes(-10));
        var requests = Enumerable.Range(0, 6).Select(i => Messages.Unlearn($"subject-{i}")).ToList();
        using var start = new ManualResetEventSlim();
        var receipts = requests.Select((request, i) => Task.Run(() =>
        {
            start.Wait();
            return (i % 2 == 0 ? nodeA : nodeB).Receive(request, $"subj_{i}", i % 2 == 0 ? "node-a" : "node-b", claim);
        })).ToList();
        start.Set();

        var answers = Task.WhenAll(receipts).Result;
        Assert.Single(answers, r => r == Receipt.Received);
        Assert.All(answers.Where(r => r != Receipt.Received), r => Assert.Equal(Receipt.NonceOfAnotherRequest, r));
        Assert.Single(requests, r => nodeA.Find(r.RequestId) is not null);
    }

    [SkippableFact]
    public void A_nonce_older_than_the_window_is_forgotten()
    {
        var ledger = NewLedger();
        ledger.UseNonce("crm", "nonce-1", Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(-10));

        var afterTheWindow = ledger.UseNonce("crm", "nonce-1", Guid.NewGuid(), DateTimeOffset.UtcNow.AddSeconds(1));

        Assert.Equal(NonceUse.New, afterTheWindow);
    }

    [SkippableFact]
    public void Refused_requests_are_kept_apart_from_the_erasures_newest_first()
    {
        var ledger = NewLedger();
        var erasure = Messages.Unlearn();
        ledger.RecordReceived(erasure, "subj_x", "n1");

        ledger.RecordRefused(erasure.RequestId, null, "unsigned", "n1");
        ledger.RecordRefused(Guid.NewGuid(), "crm", "stale", "n2");

        var refused = ledger.Refused();
        Assert.Equal(["stale", "unsigned"], refused.Select(r => r.Reason));
        Assert.Equal(("crm", "n2"), (refused[0].Publisher, refused[0].Node));
        Assert.Null(refused[1].Publisher);
        Assert.Equal(erasure.RequestId, refused[1].RequestId);
        Assert.Single(ledger.Refused(1));
        Assert.Equal(ErasureState.Received, ledger.Find(erasure.RequestId)!.State); // the real erasure is untouched
    }

    [SkippableFact]
    public void A_finished_erasure_is_unannounced_for_the_node_that_ended_it_until_its_outcome_is_marked_announced()
    {
        var ledger = NewLedger();
        var completed = Messages.Unlearn("a");
        var rejected = Messages.Unlearn("b");
        var pending = Messages.Unlearn("c");
        foreach (var request in new[] { completed, rejected, pending })
            ledger.RecordReceived(request, "subj_x", "n1");

        ledger.Complete(completed.RequestId, "forgetter", new Dictionary<string, double>(), "n1");
        ledger.Reject(rejected.RequestId, "refused", "n2");

        Assert.Equal([completed.RequestId], ledger.Unannounced("n1"));
        Assert.Equal([rejected.RequestId], SecondNode(ledger).Unannounced("n2")); // kept in the store, not in the instance
        ledger.MarkAnnounced(completed.RequestId);
        Assert.Empty(ledger.Unannounced("n1"));
        Assert.Equal([rejected.RequestId], ledger.Unannounced("n2"));
    }

    [SkippableFact]
    public void A_redelivered_refusal_is_audited_once_but_another_publication_or_another_reason_is_audited_again()
    {
        var ledger = NewLedger();
        var id = Guid.NewGuid();

        Assert.True(ledger.RecordRefused(id, "crm", "signature does not match", "n1"));
        Assert.False(ledger.RecordRefused(id, "crm", "signature does not match", "n1", redelivery: true)); // the same message again
        Assert.True(ledger.RecordRefused(id, "crm", "signature does not match", "n2"));                    // published again: a replay
        Assert.True(ledger.RecordRefused(id, "crm", "stale", "n1", redelivery: true));                     // refused for another reason now

        Assert.Equal(3, ledger.Refused().Count(r => r.RequestId == id));
    }
}
