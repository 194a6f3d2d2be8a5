using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Pipeline.Node.Erasure.Ledger;

/// <summary>
/// The ledger in one SQLite file, which the nodes of one host may share (WAL mode, busy timeout). Ids and times are
/// text (ISO 8601 in UTC, so text order is time order), lists are JSON; a write transaction is IMMEDIATE, so it holds
/// the file's write lock from its start and the checks inside it stay true. Deleted rows are zeroed (secure_delete) and
/// the write-ahead log is folded back after each erasure ends, so a finished erasure's subject id does not linger.
/// </summary>
public sealed class SqliteLedgerDialect : LedgerDialect
{
    /// <summary>One writer per ledger file in this process (see <see cref="OpenForWriting"/>), however many instances open it.</summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> WriteLocks = new(StringComparer.Ordinal);

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writes;

    public SqliteLedgerDialect(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _writes = WriteLocks.GetOrAdd(Path, _ => new SemaphoreSlim(1, 1));
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, DefaultTimeout = 30, Pooling = true }.ToString();
    }

    /// <summary>The full path of the SQLite file.</summary>
    public string Path { get; }

    public override string Location => Path;

    public override string InsertionOrder => "rowid";

    public override DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Deleted rows are overwritten with zeros, so a finished erasure's subject id does not linger in free pages.
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA secure_delete = ON";
        command.ExecuteNonQuery();
        return connection;
    }

    /// <summary>
    /// A connection for a write transaction, taken only while no other writer of this process holds the file. SQLite
    /// has one writer at a time; without this, concurrent consumers collide on the lock and SQLite's busy handler
    /// sleeps them in steps of up to 100 ms, which is where most of the acceptance latency went. Other processes
    /// sharing the file still meet the busy timeout. Released when the connection is disposed.
    /// </summary>
    public override DbConnection OpenForWriting()
    {
        _writes.Wait();
        try
        {
            var connection = Open();
            connection.Disposed += (_, _) => _writes.Release();
            return connection;
        }
        catch
        {
            _writes.Release();
            throw;
        }
    }

    public override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    public override object Id(Guid id) => id.ToString("D");

    public override Guid ReadId(object value) => Guid.Parse((string)value);

    public override object Time(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public override DateTimeOffset ReadTime(object value) => DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture);

    public override object Strings(IReadOnlyList<string> values) => JsonSerializer.Serialize(values);

    public override string[] ReadStrings(object value) => JsonSerializer.Deserialize<string[]>((string)value) ?? [];

    public override object Ids(IReadOnlyList<Guid> ids) => JsonSerializer.Serialize(ids.Select(id => id.ToString("D")));

    public override string IdIsAnyOf(string parameter) => $"request_id IN (SELECT value FROM json_each({parameter}))";

    /// <summary>
    /// Three statements in one command: each insert runs only when the one before it inserted (changes() is the row
    /// count of the last finished insert), and the last line returns whether all three did.
    /// </summary>
    public override string RecordRequest =>
        """
        INSERT INTO erasures (request_id, subject_hash, reference, dataset_id, record_count, state, received_at, updated_at)
        VALUES (@id, @hash, @reference, @dataset, @count, @state, @now, @now)
        ON CONFLICT (request_id) DO NOTHING;
        INSERT INTO erasure_transitions (request_id, state, at, node, detail) SELECT @id, @state, @now, @node, NULL WHERE changes() = 1;
        INSERT INTO erasure_work (request_id, subject_id, record_ids) SELECT @id, @subject, @records WHERE changes() = 1;
        SELECT changes();
        """;

    /// <summary>The IMMEDIATE transaction already holds the file's write lock: reading the row is enough.</summary>
    public override string LockErasure => "SELECT 1 FROM erasures WHERE request_id = @id";

    /// <summary>
    /// The write-ahead log still holds the frames that inserted the personal data: fold it into the (zeroed) database
    /// file and truncate it. Best effort: with readers active the next erasure's checkpoint does it.
    /// </summary>
    public override void AfterErasureEnded(DbConnection connection) => Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");

    public override void CreateSchema()
    {
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode = WAL");
        Execute(connection,
            """
            CREATE TABLE IF NOT EXISTS erasures (
                request_id   TEXT PRIMARY KEY,
                subject_hash TEXT NOT NULL,
                reference    TEXT,
                dataset_id   TEXT,
                record_count INTEGER NOT NULL,
                state        TEXT NOT NULL,
                reason       TEXT,
                forgetter    TEXT,
                handled_by   TEXT,
                evidence     TEXT,
                received_at  TEXT NOT NULL,
                updated_at   TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS erasure_transitions (
                request_id TEXT NOT NULL REFERENCES erasures(request_id),
                state      TEXT NOT NULL,
                at         TEXT NOT NULL,
                node       TEXT NOT NULL,
                detail     TEXT);
            CREATE INDEX IF NOT EXISTS erasure_transitions_by_request ON erasure_transitions(request_id);
            CREATE TABLE IF NOT EXISTS refused_requests (
                request_id TEXT NOT NULL,
                publisher  TEXT,
                reason     TEXT NOT NULL,
                at         TEXT NOT NULL,
                node       TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS refused_requests_by_request ON refused_requests(request_id);
            CREATE TABLE IF NOT EXISTS request_nonces (
                publisher  TEXT NOT NULL,
                nonce      TEXT NOT NULL,
                request_id TEXT NOT NULL,
                at         TEXT NOT NULL,
                PRIMARY KEY (publisher, nonce));
            CREATE INDEX IF NOT EXISTS request_nonces_by_time ON request_nonces(at);
            CREATE TABLE IF NOT EXISTS erasure_work (
                request_id TEXT PRIMARY KEY REFERENCES erasures(request_id),
                subject_id TEXT NOT NULL,
                record_ids TEXT NOT NULL,
                claimed_by TEXT,
                claimed_at TEXT);
            -- Outcomes written but not yet confirmed published (an outbox). Ledgers from before it start with none:
            -- their outcomes were published when they were written.
            CREATE TABLE IF NOT EXISTS unannounced_outcomes (
                request_id TEXT PRIMARY KEY REFERENCES erasures(request_id),
                node       TEXT NOT NULL);
            """);
        // Ledgers made before a column existed get it (CREATE TABLE IF NOT EXISTS leaves old tables as they are).
        using var reference = connection.CreateCommand();
        reference.CommandText = "SELECT COUNT(*) FROM pragma_table_info('erasures') WHERE name = 'reference'";
        if (Convert.ToInt64(reference.ExecuteScalar()) == 0)
            Execute(connection, "ALTER TABLE erasures ADD COLUMN reference TEXT");
    }

    private static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
