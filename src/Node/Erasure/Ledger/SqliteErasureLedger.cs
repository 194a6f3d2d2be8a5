using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Pipeline.Contracts.Messages;

namespace Pipeline.Node.Erasure.Ledger;

/// <summary>
/// Durable erasure audit ledger on SQLite. A request is written here before its message is acknowledged; the
/// request id is the key, so redeliveries and duplicates are no-ops. Several processes may share the file
/// (WAL mode, busy timeout); claiming the pending work is an atomic update, so one erasure runs once.
/// </summary>
public sealed class SqliteErasureLedger : IErasureLedger
{
    /// <summary>One writer per ledger file in this process (see <see cref="OpenForWriting"/>), however many instances open it.</summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> WriteLocks = new(StringComparer.Ordinal);

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writes;
    private readonly StaleNonceSweep _nonceSweep = new();

    public SqliteErasureLedger(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        Path = full;
        _writes = WriteLocks.GetOrAdd(full, _ => new SemaphoreSlim(1, 1));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
        CreateSchema();
    }

    /// <summary>The full path of the SQLite file.</summary>
    public string Path { get; }

    public string Location => Path;

    /// <summary>Stores a received request. Returns false when the request id is already in the ledger.</summary>
    public bool RecordReceived(UnlearnRequested request, string subjectHash, string node) =>
        Receive(request, subjectHash, node, nonce: null) == Receipt.Received;

    public Receipt Receive(UnlearnRequested request, string subjectHash, string node, NonceClaim? nonce)
    {
        using var connection = OpenForWriting();
        using var transaction = connection.BeginTransaction(deferred: false);
        var use = nonce is null ? NonceUse.New : ClaimNonce(connection, transaction, nonce, request.RequestId);
        if (use == NonceUse.OtherRequest)
        {
            transaction.Commit(); // keeps the stale-nonce cleanup
            return Receipt.NonceOfAnotherRequest;
        }
        var now = Now();
        var inserted = Execute(connection, transaction,
            """
            INSERT OR IGNORE INTO erasures (request_id, subject_hash, reference, dataset_id, record_count, state, received_at, updated_at)
            VALUES ($id, $hash, $reference, $dataset, $count, $state, $now, $now)
            """,
            ("$id", Key(request.RequestId)), ("$hash", subjectHash), ("$reference", request.Reference), ("$dataset", request.DatasetId),
            ("$count", request.RecordIds?.Count ?? 0), ("$state", nameof(ErasureState.Received)), ("$now", now));
        if (inserted > 0)
        {
            AddTransition(connection, transaction, request.RequestId, ErasureState.Received, node, null, now);
            Execute(connection, transaction,
                "INSERT INTO erasure_work (request_id, subject_id, record_ids) VALUES ($id, $subject, $records)",
                ("$id", Key(request.RequestId)), ("$subject", request.SubjectId),
                ("$records", JsonSerializer.Serialize(request.RecordIds ?? [])));
        }
        transaction.Commit();
        return inserted > 0 ? Receipt.Received : use == NonceUse.SameRequest ? Receipt.SameSignedRequestAgain : Receipt.AlreadyReceived;
    }

    /// <summary>Claims a pending erasure for this node; null when it is finished or another node holds it.</summary>
    public PendingErasure? TryClaim(Guid requestId, string node)
    {
        using var connection = OpenForWriting();
        using var transaction = connection.BeginTransaction(deferred: false);
        var claimed = Execute(connection, transaction,
            "UPDATE erasure_work SET claimed_by = $node, claimed_at = $now WHERE request_id = $id AND (claimed_by IS NULL OR claimed_by = $node)",
            ("$node", node), ("$now", Now()), ("$id", Key(requestId)));
        if (claimed == 0)
            return null;

        using var command = Command(connection, transaction,
            """
            SELECT w.subject_id, w.record_ids, e.subject_hash, e.dataset_id
            FROM erasure_work w JOIN erasures e ON e.request_id = w.request_id WHERE w.request_id = $id
            """,
            ("$id", Key(requestId)));
        using var reader = command.ExecuteReader();
        reader.Read();
        var pending = new PendingErasure(requestId, reader.GetString(0),
            reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
            JsonSerializer.Deserialize<string[]>(reader.GetString(1)) ?? []);
        reader.Close();
        transaction.Commit();
        return pending;
    }

    /// <summary>Pending erasures this node may run: unclaimed ones and its own (left by a crash or a restart).</summary>
    public IReadOnlyList<Guid> PendingFor(string node)
    {
        using var connection = Open();
        using var command = Command(connection, null,
            "SELECT request_id FROM erasure_work WHERE claimed_by IS NULL OR claimed_by = $node ORDER BY rowid",
            ("$node", node));
        using var reader = command.ExecuteReader();
        var ids = new List<Guid>();
        while (reader.Read())
            ids.Add(Guid.Parse(reader.GetString(0)));
        return ids;
    }

    /// <summary>Gives a claim back (shutdown mid-erasure), so the work can be picked up again.</summary>
    public void Release(Guid requestId, string node)
    {
        using var connection = OpenForWriting();
        Execute(connection, null, "UPDATE erasure_work SET claimed_by = NULL, claimed_at = NULL WHERE request_id = $id AND claimed_by = $node",
            ("$id", Key(requestId)), ("$node", node));
    }

    /// <summary>
    /// Records that an erasure reached <paramref name="state"/>. An erasure resumed after a crash runs its forgetter
    /// again from the start: a stage it had already reached is not recorded twice, so the trail reads as one erasure.
    /// Returns whether the state was new.
    /// </summary>
    public bool Advance(Guid requestId, ErasureState state, string node, string? detail = null)
    {
        using var connection = OpenForWriting();
        using var transaction = connection.BeginTransaction(deferred: false);
        var now = Now();
        if (Exists(connection, transaction, requestId, state))
            return false;
        Execute(connection, transaction,
            "UPDATE erasures SET state = $state, updated_at = $now, handled_by = $node WHERE request_id = $id",
            ("$state", state.ToString()), ("$now", now), ("$node", node), ("$id", Key(requestId)));
        AddTransition(connection, transaction, requestId, state, node, detail, now);
        transaction.Commit();
        return true;
    }

    private static bool Exists(SqliteConnection connection, SqliteTransaction transaction, Guid requestId, ErasureState state)
    {
        using var command = Command(connection, transaction,
            "SELECT COUNT(*) FROM erasure_transitions WHERE request_id = $id AND state = $state", ("$id", Key(requestId)), ("$state", state.ToString()));
        return Convert.ToInt64(command.ExecuteScalar()) > 0;
    }

    /// <summary>Ends an erasure successfully: records the evidence and deletes the personal data of the request.</summary>
    public void Complete(Guid requestId, string forgetter, IReadOnlyDictionary<string, double> evidence, string node, string? summary = null) =>
        Finish(requestId, ErasureState.Completed, null, forgetter, evidence, node, summary);

    /// <summary>Ends an erasure as rejected, with its reason; the personal data of the request is deleted too.</summary>
    public void Reject(Guid requestId, string reason, string node) =>
        Finish(requestId, ErasureState.Rejected, reason, null, new Dictionary<string, double>(), node, reason);

    /// <summary>
    /// Remembers that <paramref name="publisher"/> used <paramref name="nonce"/> for <paramref name="requestId"/>, and
    /// says whether the nonce is new, was already used by this very request (a redelivery or a replay of it), or by
    /// another request (a replay with a different id). Nonces older than <paramref name="keepSince"/> are forgotten:
    /// requests that old are refused as stale before they get here.
    /// </summary>
    public NonceUse UseNonce(string publisher, string nonce, Guid requestId, DateTimeOffset keepSince)
    {
        using var connection = OpenForWriting();
        using var transaction = connection.BeginTransaction(deferred: false);
        var use = ClaimNonce(connection, transaction, new NonceClaim(publisher, nonce, keepSince), requestId);
        transaction.Commit();
        return use;
    }

    private NonceUse ClaimNonce(SqliteConnection connection, SqliteTransaction transaction, NonceClaim claim, Guid requestId)
    {
        var since = claim.KeepSince.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        if (_nonceSweep.Due())
            Execute(connection, transaction, "DELETE FROM request_nonces WHERE at < $since", ("$since", since));
        // A nonce older than the window counts as forgotten, swept or not.
        using (var command = Command(connection, transaction,
                   "SELECT request_id FROM request_nonces WHERE publisher = $publisher AND nonce = $nonce AND at >= $since",
                   ("$publisher", claim.Publisher), ("$nonce", claim.Nonce), ("$since", since)))
        {
            if (command.ExecuteScalar() is string owner)
                return owner == Key(requestId) ? NonceUse.SameRequest : NonceUse.OtherRequest;
        }
        Execute(connection, transaction, "INSERT OR REPLACE INTO request_nonces (publisher, nonce, request_id, at) VALUES ($publisher, $nonce, $id, $now)",
            ("$publisher", claim.Publisher), ("$nonce", claim.Nonce), ("$id", Key(requestId)), ("$now", Now()));
        return NonceUse.New;
    }

    /// <summary>
    /// Audits a request that was not accepted (unsigned, wrongly signed, stale, replayed). Kept apart from the
    /// erasures: its request id is unauthenticated, so it must not touch a real erasure of the same id. A redelivery of
    /// a refusal already audited for the same reason adds nothing: the broker sent one message twice, not two requests.
    /// </summary>
    public bool RecordRefused(Guid requestId, string? publisher, string reason, string node, bool redelivery = false)
    {
        using var connection = OpenForWriting();
        return Execute(connection, null,
            """
            INSERT INTO refused_requests (request_id, publisher, reason, at, node)
            SELECT $id, $publisher, $reason, $now, $node
            WHERE NOT $redelivery OR NOT EXISTS (SELECT 1 FROM refused_requests WHERE request_id = $id AND reason = $reason)
            """,
            ("$id", Key(requestId)), ("$publisher", publisher), ("$reason", reason), ("$now", Now()), ("$node", node), ("$redelivery", redelivery)) > 0;
    }

    /// <summary>Finished erasures of this node whose outcome event is not yet confirmed published, oldest first.</summary>
    public IReadOnlyList<Guid> Unannounced(string node)
    {
        using var connection = Open();
        using var command = Command(connection, null, "SELECT request_id FROM unannounced_outcomes WHERE node = $node ORDER BY rowid", ("$node", node));
        using var reader = command.ExecuteReader();
        var ids = new List<Guid>();
        while (reader.Read())
            ids.Add(Guid.Parse(reader.GetString(0)));
        return ids;
    }

    public void MarkAnnounced(Guid requestId)
    {
        using var connection = OpenForWriting();
        Execute(connection, null, "DELETE FROM unannounced_outcomes WHERE request_id = $id", ("$id", Key(requestId)));
    }

    /// <summary>Refused requests, newest first.</summary>
    public IReadOnlyList<RefusedRequest> Refused(int limit = 1000)
    {
        using var connection = Open();
        using var command = Command(connection, null,
            "SELECT request_id, publisher, reason, at, node FROM refused_requests ORDER BY at DESC, rowid DESC LIMIT $limit", ("$limit", limit));
        using var reader = command.ExecuteReader();
        var refused = new List<RefusedRequest>();
        while (reader.Read())
            refused.Add(new RefusedRequest(Guid.Parse(reader.GetString(0)), NullableString(reader, 1), reader.GetString(2), ParseTime(reader.GetString(3)),
                reader.GetString(4)));
        return refused;
    }

    public ErasureRecord? Find(Guid requestId) => Query("WHERE request_id = $id", ("$id", Key(requestId))).SingleOrDefault();

    /// <summary>Newest first.</summary>
    public IReadOnlyList<ErasureRecord> List(int limit = 1000) =>
        Query("ORDER BY received_at DESC, rowid DESC LIMIT $limit", ("$limit", limit));

    private void Finish(Guid requestId, ErasureState state, string? reason, string? forgetter,
        IReadOnlyDictionary<string, double> evidence, string node, string? detail)
    {
        using var connection = OpenForWriting();
        using var transaction = connection.BeginTransaction(deferred: false);
        var now = Now();
        Execute(connection, transaction,
            """
            UPDATE erasures SET state = $state, reason = $reason, forgetter = $forgetter, evidence = $evidence,
                   handled_by = $node, updated_at = $now
            WHERE request_id = $id
            """,
            ("$state", state.ToString()), ("$reason", reason), ("$forgetter", forgetter),
            ("$evidence", JsonSerializer.Serialize(evidence)), ("$node", node), ("$now", now), ("$id", Key(requestId)));
        AddTransition(connection, transaction, requestId, state, node, detail, now);
        Execute(connection, transaction, "DELETE FROM erasure_work WHERE request_id = $id", ("$id", Key(requestId)));
        // In the same transaction as the outcome: a crash after the commit leaves the outcome to be announced at restart.
        Execute(connection, transaction, "INSERT OR IGNORE INTO unannounced_outcomes (request_id, node) VALUES ($id, $node)",
            ("$id", Key(requestId)), ("$node", node));
        transaction.Commit();
        // The write-ahead log still holds the frames that inserted the personal data: fold it into the (zeroed)
        // database file and truncate it. Best effort: with readers active the next erasure's checkpoint does it.
        Execute(connection, null, "PRAGMA wal_checkpoint(TRUNCATE)");
    }

    private List<ErasureRecord> Query(string tail, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        var records = new List<ErasureRecord>();
        using (var command = Command(connection, null,
                   $"""
                   SELECT {ErasureRows.Columns}
                   FROM erasures {tail}
                   """, parameters))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                records.Add(ErasureRows.Read(reader, Guid.Parse(reader.GetString(0)), ParseTime(reader.GetString(9)), ParseTime(reader.GetString(10))));
            }
        }
        return records.Select(r => r with { Transitions = Transitions(connection, r.RequestId) }).ToList();
    }

    private static List<ErasureTransition> Transitions(SqliteConnection connection, Guid requestId)
    {
        using var command = Command(connection, null,
            "SELECT state, at, node, detail FROM erasure_transitions WHERE request_id = $id ORDER BY rowid", ("$id", Key(requestId)));
        using var reader = command.ExecuteReader();
        var transitions = new List<ErasureTransition>();
        while (reader.Read())
            transitions.Add(new ErasureTransition(Enum.Parse<ErasureState>(reader.GetString(0)), ParseTime(reader.GetString(1)),
                reader.GetString(2), NullableString(reader, 3)));
        return transitions;
    }

    private static void AddTransition(SqliteConnection connection, SqliteTransaction transaction, Guid requestId,
        ErasureState state, string node, string? detail, string at) =>
        Execute(connection, transaction,
            "INSERT INTO erasure_transitions (request_id, state, at, node, detail) VALUES ($id, $state, $at, $node, $detail)",
            ("$id", Key(requestId)), ("$state", state.ToString()), ("$at", at), ("$node", node), ("$detail", detail));

    private void CreateSchema()
    {
        using var connection = Open();
        Execute(connection, null, "PRAGMA journal_mode = WAL");
        Execute(connection, null,
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
        AddMissingColumns(connection);
    }

    /// <summary>Ledgers made before a column existed get it (SQLite's CREATE TABLE IF NOT EXISTS leaves old tables as they are).</summary>
    private static void AddMissingColumns(SqliteConnection connection)
    {
        using var command = Command(connection, null, "SELECT COUNT(*) FROM pragma_table_info('erasures') WHERE name = 'reference'");
        if (Convert.ToInt64(command.ExecuteScalar()) == 0)
            Execute(connection, null, "ALTER TABLE erasures ADD COLUMN reference TEXT");
    }

    /// <summary>
    /// A connection for a write transaction, taken only while no other writer of this process holds the file. SQLite
    /// has one writer at a time; without this, concurrent consumers collide on the lock and SQLite's busy handler
    /// sleeps them in steps of up to 100 ms, which is where most of the acceptance latency went. Other processes
    /// sharing the file still meet the busy timeout. Released when the connection is disposed.
    /// </summary>
    private SqliteConnection OpenForWriting()
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

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // Deleted rows are overwritten with zeros, so a finished erasure's subject id does not linger in free pages.
        Execute(connection, null, "PRAGMA secure_delete = ON");
        return connection;
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static string Key(Guid id) => id.ToString("D");

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
