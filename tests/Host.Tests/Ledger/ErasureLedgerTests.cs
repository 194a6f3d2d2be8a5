using System.Text;
using Pipeline.Host.Ledger;
using Pipeline.Host.Tests.Support;

namespace Pipeline.Host.Tests.Ledger;

public sealed class ErasureLedgerTests
{
    private static SqliteErasureLedger NewLedger() =>
        new(Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"), "ledger.db"));

    [Fact]
    public void Recording_the_same_request_twice_keeps_one_row()
    {
        var ledger = NewLedger();
        var request = Messages.Unlearn();

        Assert.True(ledger.RecordReceived(request, "subj_x", "n1"));
        Assert.False(ledger.RecordReceived(request, "subj_x", "n2"));

        Assert.Single(ledger.List());
        Assert.Single(ledger.Find(request.RequestId)!.Transitions);
    }

    [Fact]
    public void A_request_survives_reopening_the_ledger_and_is_still_pending()
    {
        var ledger = NewLedger();
        var request = Messages.Unlearn();
        ledger.RecordReceived(request, "subj_x", "n1");

        var reopened = new SqliteErasureLedger(ledger.Path);

        Assert.Equal([request.RequestId], reopened.PendingFor("n1"));
        Assert.Equal(ErasureState.Received, reopened.Find(request.RequestId)!.State);
    }

    [Fact]
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
        Assert.Null(second);
        Assert.Empty(ledger.PendingFor("node-b"));
    }

    [Fact]
    public void A_released_claim_can_be_taken_by_another_node()
    {
        var ledger = NewLedger();
        var request = Messages.Unlearn();
        ledger.RecordReceived(request, "subj_x", "n1");
        ledger.TryClaim(request.RequestId, "node-a");

        ledger.Release(request.RequestId, "node-a");

        Assert.NotNull(ledger.TryClaim(request.RequestId, "node-b"));
    }

    [Fact]
    public void States_are_recorded_in_order_with_their_times_and_evidence()
    {
        var ledger = NewLedger();
        var request = Messages.Unlearn();
        ledger.RecordReceived(request, "subj_x", "n1");
        ledger.Advance(request.RequestId, ErasureState.DataRemoved, "n1");
        ledger.Advance(request.RequestId, ErasureState.ModelUnlearned, "n1");
        ledger.Advance(request.RequestId, ErasureState.Verified, "n1");
        ledger.Complete(request.RequestId, "eupg", new Dictionary<string, double> { ["mia_auc"] = 0.52 }, "n1");

        var record = ledger.Find(request.RequestId)!;
        Assert.Equal(ErasureState.Completed, record.State);
        Assert.Equal(0.52, record.Evidence["mia_auc"]);
        Assert.Equal("eupg", record.Forgetter);
        Assert.Equal([ErasureState.Received, ErasureState.DataRemoved, ErasureState.ModelUnlearned, ErasureState.Verified, ErasureState.Completed],
            record.Transitions.Select(t => t.State));
        Assert.True(record.Transitions.Zip(record.Transitions.Skip(1)).All(p => p.First.At <= p.Second.At));
    }

    [Fact]
    public void The_requester_reference_is_kept_beside_the_subject_hash_and_a_ledger_from_before_it_gains_the_column()
    {
        var path = Path.Combine(TestPlugins.NewDirectory(), "old-ledger.db");
        using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE erasures (request_id TEXT PRIMARY KEY, subject_hash TEXT NOT NULL, dataset_id TEXT, record_count INTEGER NOT NULL,
                    state TEXT NOT NULL, reason TEXT, forgetter TEXT, handled_by TEXT, evidence TEXT, received_at TEXT NOT NULL, updated_at TEXT NOT NULL);
                """;
            create.ExecuteNonQuery();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var ledger = new SqliteErasureLedger(path);
        var request = Messages.Unlearn() with { Reference = "DSR-2026-0042" };

        ledger.RecordReceived(request, "subj_x", "n1");

        Assert.Equal("DSR-2026-0042", ledger.Find(request.RequestId)!.Reference);
        Assert.Equal("subj_x", ledger.Find(request.RequestId)!.SubjectHash);
    }

    [Fact]
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

    [Fact]
    public void Once_an_erasure_ends_the_ledger_file_holds_no_subject_id_or_record_id()
    {
        var ledger = NewLedger();
        var request = Messages.Unlearn("jane.doe@example.org") with { RecordIds = ["ticket-771234"] };
        ledger.RecordReceived(request, "subj_hash", "n1");
        Assert.Contains("jane.doe@example.org", DatabaseText(ledger.Path)); // kept while the work is pending

        ledger.Reject(request.RequestId, "no forgetter installed", "n1");

        var text = DatabaseText(ledger.Path);
        Assert.DoesNotContain("jane.doe@example.org", text);
        Assert.DoesNotContain("ticket-771234", text);
        Assert.Contains("subj_hash", text);
        Assert.Empty(ledger.PendingFor("n1"));
    }

    /// <summary>The raw bytes of the database file and its write-ahead log, as someone reading the disk would see them.</summary>
    private static string DatabaseText(string path)
    {
        var text = new StringBuilder(Encoding.Latin1.GetString(File.ReadAllBytes(path)));
        if (File.Exists(path + "-wal"))
            text.Append(Encoding.Latin1.GetString(File.ReadAllBytes(path + "-wal")));
        return text.ToString();
    }
}
