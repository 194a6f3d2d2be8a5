using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Privacy;

namespace Pipeline.Host.Tests.Broker;

/// <summary>Two server hosts on the real broker sharing one PostgreSQL ledger, as two `serve` nodes of a fleet.</summary>
public sealed class PostgresLedgerFleetTests : BrokerTest
{
    [SkippableFact]
    public async Task Two_nodes_sharing_a_postgres_ledger_complete_each_erasure_once_with_one_subject_hash()
    {
        var schema = PostgresTestDatabase.NewSchemaName();
        var ledgerSettings = PostgresTestDatabase.HostSettings(schema);
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        try
        {
            await using var nodeA = await StartHostAsync(new Dictionary<string, string?>(ledgerSettings) { ["Node:Name"] = "node-a" });
            // Its own folder: a salt kept beside a local file would differ from node A's.
            await using var nodeB = await StartHostAsync(new Dictionary<string, string?>(ledgerSettings)
            {
                ["Node:Name"] = "node-b",
                ["Ledger:Path"] = Path.Combine(TestPlugins.NewDirectory(), "ledger.db"),
            });
            var requests = Enumerable.Range(0, 12).Select(i => Messages.Unlearn($"customer-{i}")).ToList();

            foreach (var request in requests)
                await nodeA.Bus.Publish(request);
            await nodeB.Bus.Publish(requests[0] with { Timestamp = DateTimeOffset.UtcNow }); // a duplicate, to the other node maybe
            var outcomes = new List<UnlearningCompleted>();
            foreach (var request in requests)
                outcomes.Add(await nodeA.WaitForAsync<UnlearningCompleted>(c => c.RequestId == request.RequestId, TimeSpan.FromSeconds(120)));

            // No salt configured: both nodes hash with the one the ledger generated.
            var hashA = nodeA.Services.GetRequiredService<SubjectHasher>();
            var hashB = nodeB.Services.GetRequiredService<SubjectHasher>();
            Assert.Equal(hashA.Hash("customer-0"), hashB.Hash("customer-0"));
            Assert.Equal(requests.Select(r => hashA.Hash(r.SubjectId)), outcomes.Select(o => o.SubjectHash));
            Assert.All(outcomes, o => Assert.Contains(o.HandledBy, new[] { "node-a", "node-b" }));
            Assert.Equal(requests.Count, nodeA.Observed<UnlearningCompleted>().Select(c => c.RequestId).Distinct().Count());
            Assert.Equal(requests.Count, nodeA.Observed<UnlearningCompleted>().Count);

            var ledger = nodeB.Services.GetRequiredService<IErasureLedger>();
            Assert.IsType<PostgresErasureLedger>(ledger);
            Assert.Equal(requests.Count, ledger.List().Count);
            foreach (var request in requests)
            {
                var record = ledger.Find(request.RequestId)!;
                Assert.Equal(ErasureState.Completed, record.State);
                Assert.Equal([ErasureState.Received, ErasureState.DataRemoved, ErasureState.ModelUnlearned, ErasureState.Verified, ErasureState.Completed],
                    record.Transitions.Select(t => t.State));
                Assert.Equal(3, record.Evidence["records_forgotten"]);
            }
            Assert.Empty(ledger.PendingFor("node-a"));
            Assert.Empty(ledger.PendingFor("node-b"));
            Assert.DoesNotContain("customer-", PostgresTestDatabase.SchemaText(schema)); // subject ids went with the work
        }
        finally
        {
            PostgresTestDatabase.DropSchema(schema);
        }
    }
}
