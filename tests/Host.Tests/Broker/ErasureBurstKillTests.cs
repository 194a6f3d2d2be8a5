using MassTransit;
using Microsoft.Data.Sqlite;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Xunit.Abstractions;
using Pipeline.Node.Erasure;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Hosting;

namespace Pipeline.Host.Tests.Broker;

/// <summary>
/// A burst of erasure requests while the `serve` node that receives them is killed with SIGKILL twice and started
/// again: every request still ends Completed or Rejected exactly once — in the ledger, and in the events a subscriber
/// sees, where a copy re-sent after a kill carries the same MessageId (<see cref="OutcomeMessageId"/>) — none lost,
/// none answered twice, none left pending or unannounced.
/// </summary>
public sealed class ErasureBurstKillTests(ITestOutputHelper output) : BrokerTest
{
    private const int Requests = 1000;
    private const string Node = "node-1";

    /// <summary>Ledger rows (erasures and refusals) at which the node is killed: a share received, not all.</summary>
    private static readonly int[] KillAt = [250, 600];

    private enum Expected { Completed, RejectedByForgetter, NotAuthenticated }

    /// <summary>Decided by the erasure processor and kept in the ledger's erasures (the others are refused before they get there).</summary>
    private static bool LedgerDecided(Expected expected) => expected != Expected.NotAuthenticated;

    [Fact]
    public async Task A_burst_of_1000_erasure_requests_with_the_node_killed_and_restarted_twice_ends_each_completed_or_rejected_exactly_once()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        var ledgerPath = Path.Combine(Path.GetDirectoryName(PluginDirectory)!, "ledger.db");
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["Node:Name"] = Node,
            ["Plugins:Directory"] = PluginDirectory,
            ["Ledger:Path"] = ledgerPath,
        };
        var ledger = new SqliteErasureLedger(ledgerPath);
        await using var observer = await TestHost.StartAsync(PluginDirectory, Settings, HostRole.Client);
        var recorder = await OutcomeRecorder.StartAsync(observer.Bus); // bound before anything is published
        var burst = Burst();
        var received = new List<long>(); // ledger rows at each kill

        var node = new ServeProcess(settings);
        try
        {
            await QueueConsumers.WaitForAsync(VirtualHost, "unlearn-requested", 1, () => Tail(node.Output));
            var publishing = PublishAsync(observer.Bus, burst.Keys);
            foreach (var rows in KillAt)
            {
                await WaitUntilAsync(() => LedgerRows(ledgerPath) >= rows, $"{rows} ledger rows", () => Tail(node.Output));
                node.Kill();
                received.Add(LedgerRows(ledgerPath));
                Assert.True(received[^1] < Requests, $"all {Requests} requests were received before the kill at {rows}: the burst is too small to catch the node mid-burst");
                node.Dispose();
                node = new ServeProcess(settings);
            }
            await publishing;
            await WaitUntilAsync(() => recorder.Outcomes.Select(o => o.RequestId).Distinct().Count() >= Requests, "an outcome for every request",
                () => $"{recorder.Outcomes.Count} outcomes so far; serve output:\n{Tail(node.Output)}", TimeSpan.FromMinutes(3));
            // One more request behind the burst: once its outcome is in, copies of earlier outcomes would be too.
            var fence = Messages.Unlearn("fence");
            await observer.Bus.Publish(fence);
            await WaitUntilAsync(() => recorder.Outcomes.Any(o => o.RequestId == fence.RequestId), "the fence's outcome", () => Tail(node.Output));
        }
        finally
        {
            node.Dispose();
        }

        var byId = burst.ToDictionary(b => b.Key.RequestId, b => b.Value);
        var outcomes = recorder.Outcomes.Where(o => byId.ContainsKey(o.RequestId)).GroupBy(o => o.RequestId).ToDictionary(g => g.Key, g => g.ToList());
        var lost = byId.Keys.Where(id => !outcomes.ContainsKey(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} requests never answered, e.g. " +
            string.Join(", ", lost.Take(3).Select(id => $"{id} ({ledger.Find(id)?.State.ToString() ?? "not in the erasures"})")));
        // Outcomes are published at least once (see OutcomeMessageId): a copy re-sent after a kill is the same
        // publication — its MessageId, and for a ledger outcome everything down to the timestamp — never a second outcome.
        var twice = outcomes.Where(o => o.Value.Select(v => LedgerDecided(byId[o.Key]) ? v : v with { Timestamp = default }).Distinct().Count() > 1).ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} requests answered more than once, e.g. {Describe(twice.Take(3))}");
        foreach (var (id, expected) in byId)
        {
            var outcome = outcomes[id][0];
            Assert.Equal(expected == Expected.Completed, outcome.Completed);
            Assert.Equal(LedgerDecided(expected) ? OutcomeMessageId.Of(id) : OutcomeMessageId.OfRefusal(id), outcome.MessageId);
            if (expected == Expected.NotAuthenticated)
                Assert.StartsWith("not authenticated: signature does not match", outcome.Reason);
            if (expected == Expected.RejectedByForgetter)
                Assert.Equal("subject refused by the test forgetter", outcome.Reason);
        }
        // Copies come only from a kill between publishing an outcome and recording that: per kill, the one outcome the
        // erasure processor was announcing, and the refusals the consumer was answering (at most its concurrency, 8).
        var outcomeCopies = outcomes.Where(o => LedgerDecided(byId[o.Key])).Sum(o => o.Value.Count - 1);
        var refusalCopies = outcomes.Where(o => !LedgerDecided(byId[o.Key])).Sum(o => o.Value.Count - 1);
        output.WriteLine($"kills at {string.Join(" and ", received)} ledger rows; copies re-sent after a kill: {outcomeCopies} outcomes, {refusalCopies} refusals");
        Assert.InRange(outcomeCopies, 0, KillAt.Length);
        Assert.InRange(refusalCopies, 0, KillAt.Length * 8);

        var erasures = ledger.List(10 * Requests).Where(r => byId.ContainsKey(r.RequestId)).ToList();
        Assert.Equal(byId.Count(b => b.Value != Expected.NotAuthenticated), erasures.Count);   // one row per genuine request
        foreach (var erasure in erasures)
        {
            ErasureState[] trail = byId[erasure.RequestId] == Expected.Completed
                ? [ErasureState.Received, ErasureState.DataRemoved, ErasureState.ModelUnlearned, ErasureState.Verified, ErasureState.Completed]
                : [ErasureState.Received, ErasureState.Rejected];
            Assert.Equal(trail, erasure.Transitions.Select(t => t.State));
        }
        var refused = ledger.Refused(10 * Requests).Where(r => byId.ContainsKey(r.RequestId)).ToList();
        Assert.Equal(byId.Where(b => b.Value == Expected.NotAuthenticated).Select(b => b.Key).Order(), refused.Select(r => r.RequestId).Order());
        Assert.Empty(ledger.PendingFor(Node));
        Assert.Empty(ledger.Unannounced(Node));
        Assert.Equal(0u, await ErrorQueue.CountAsync(VirtualHost, "unlearn-requested_error"));
        Assert.Equal(0u, await ErrorQueue.CountAsync(VirtualHost, "unlearn-requested_skipped"));
    }

    /// <summary>
    /// Eight in ten genuine (completed), one in ten genuine but refused by the test forgetter (rejected through the
    /// ledger), one in ten signed and then changed (refused as not authenticated, never in the erasures).
    /// </summary>
    private static Dictionary<UnlearnRequested, Expected> Burst() =>
        Enumerable.Range(0, Requests).ToDictionary(
            i => (i % 10) switch
            {
                3 => Messages.Unlearn("refuse-me"),
                7 => Messages.Unlearn($"subject-{i}") with { SubjectId = $"someone-else-{i}" },
                _ => Messages.Unlearn($"subject-{i}"),
            },
            i => (i % 10) switch { 3 => Expected.RejectedByForgetter, 7 => Expected.NotAuthenticated, _ => Expected.Completed });

    /// <summary>As fast as the broker confirms them, 50 at a time.</summary>
    private static async Task PublishAsync(IBus bus, IEnumerable<UnlearnRequested> requests)
    {
        foreach (var chunk in requests.Chunk(50))
            await Task.WhenAll(chunk.Select(r => bus.Publish(r)));
    }

    /// <summary>Erasures and refusals the ledger holds: what the node has received.</summary>
    private static long LedgerRows(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM erasures) + (SELECT COUNT(*) FROM refused_requests)";
        return Convert.ToInt64(command.ExecuteScalar());
    }

    private static string Tail(string output) => output.Length > 6000 ? "…" + output[^6000..] : output;

    private static string Describe(IEnumerable<KeyValuePair<Guid, List<OutcomeRecorder.Outcome>>> outcomes) =>
        string.Join("; ", outcomes.Select(o => $"{o.Key}: " + string.Join(", ", o.Value.Select(v => $"{(v.Completed ? "completed" : v.Reason)} at {v.Timestamp:O} ({v.MessageId})"))));

    private static async Task WaitUntilAsync(Func<bool> condition, string what, Func<string> diagnostics, TimeSpan? limit = null)
    {
        if (!await Eventually.TrueAsync(condition, limit ?? TimeSpan.FromMinutes(2)))
            throw new TimeoutException($"never reached: {what}; {diagnostics()}");
    }
}
