using System.Text;
using Pipeline.Host.Tests.Support;
using Pipeline.Node.Erasure.Ledger;

namespace Pipeline.Host.Tests.Ledger;

/// <summary>The ledger contract on SQLite, plus what only the SQLite file does (its on-disk bytes, old files gaining columns).</summary>
public sealed class SqliteErasureLedgerTests : ErasureLedgerContract
{
    protected override IErasureLedger NewLedger() =>
        new SqliteErasureLedger(Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"), "ledger.db"));

    protected override IErasureLedger SecondNode(IErasureLedger ledger) => new SqliteErasureLedger(((SqliteErasureLedger)ledger).Path);

    /// <summary>The raw bytes of the database file and its write-ahead log, as someone reading the disk would see them.</summary>
    protected override string StoredText(IErasureLedger ledger)
    {
        var path = ((SqliteErasureLedger)ledger).Path;
        var text = new StringBuilder(Encoding.Latin1.GetString(File.ReadAllBytes(path)));
        if (File.Exists(path + "-wal"))
            text.Append(Encoding.Latin1.GetString(File.ReadAllBytes(path + "-wal")));
        return text.ToString();
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
}
