using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Pipeline.Contracts.Messages;

namespace Pipeline.Node.Erasure.Ledger;

/// <summary>
/// Durable erasure audit ledger on PostgreSQL, shared by every `serve` node of a fleet. Same semantics as the SQLite
/// ledger: the request id is the key (INSERT ... ON CONFLICT DO NOTHING), claiming is one atomic UPDATE, a state is
/// recorded once (the erasure's row is locked while its transition is added, and (request_id, state) is unique), and
/// the personal data of a request is deleted when it ends. PostgreSQL keeps a deleted row's bytes until VACUUM reuses
/// its space (and in the write-ahead log and backups until they expire); the erasure_work table is vacuumed eagerly.
/// Times are the writing node's clock, as in the SQLite ledger.
/// </summary>
public sealed partial class PostgresErasureLedger : IErasureLedger, IDisposable
{
    /// <summary>Nodes starting together create the schema one at a time (any constant would do; this one spells "PipeLedg").</summary>
    private const long SchemaLockKey = 0x50_69_70_65_4C_65_64_67;

    private const string SubjectHashSaltName = "subject_hash_salt";

    private readonly NpgsqlDataSource _dataSource;
    private readonly StaleNonceSweep _nonceSweep = new();

    public PostgresErasureLedger(string connectionString, string schema = "public")
    {
        if (!SchemaName().IsMatch(schema))
            throw new LedgerConfigurationException($"Ledger:Schema '{schema}' must be lower-case letters, digits and '_' (at most 63, not starting with a digit)");
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema };
        }
        catch (ArgumentException bad)
        {
            throw new LedgerConfigurationException($"Ledger:ConnectionString is not a valid Npgsql connection string: {bad.Message}", bad);
        }
        Schema = schema;
        Location = $"postgresql://{settings.Username}@{settings.Host}:{settings.Port}/{settings.Database} schema {schema}";
        _dataSource = NpgsqlDataSource.Create(settings);
        try
        {
            CreateSchema();
        }
        catch (Exception failure) when (failure is NpgsqlException or InvalidOperationException)
        {
            _dataSource.Dispose();
            throw new LedgerConfigurationException($"cannot open the erasure ledger {Location}: {failure.Message.ReplaceLineEndings(" ")}", failure);
        }
    }

    public string Location { get; }

    /// <summary>The schema holding the ledger's tables.</summary>
    public string Schema { get; }

    public bool RecordReceived(UnlearnRequested request, string subjectHash, string node) =>
        Receive(request, subjectHash, node, nonce: null) == Receipt.Received;

    public Receipt Receive(UnlearnRequested request, string subjectHash, string node, NonceClaim? nonce)
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var use = nonce is null ? NonceUse.New : ClaimNonce(connection, transaction, nonce, request.RequestId);
        if (use == NonceUse.OtherRequest)
        {
            transaction.Commit(); // keeps the stale-nonce cleanup
            return Receipt.NonceOfAnotherRequest;
        }
        // One statement, one round trip: the request, its first transition and its work row, or nothing when the id is
        // known. (Foreign keys are checked at the end of the statement, when the erasure row is there.)
        using var insert = Command(connection, transaction,
            """
            WITH received AS (
                INSERT INTO erasures (request_id, subject_hash, reference, dataset_id, record_count, state, received_at, updated_at)
                VALUES (@id, @hash, @reference, @dataset, @count, @state, @now, @now)
                ON CONFLICT (request_id) DO NOTHING
                RETURNING request_id),
            transition AS (
                INSERT INTO erasure_transitions (request_id, state, at, node, detail) SELECT request_id, @state, @now, @node, NULL FROM received),
            work AS (
                INSERT INTO erasure_work (request_id, subject_id, record_ids) SELECT request_id, @subject, @records FROM received)
            SELECT count(*) FROM received
            """,
            ("id", request.RequestId), ("hash", subjectHash), ("reference", request.Reference), ("dataset", request.DatasetId),
            ("count", request.RecordIds?.Count ?? 0), ("state", nameof(ErasureState.Received)), ("now", DateTimeOffset.UtcNow),
            ("node", node), ("subject", request.SubjectId), ("records", (request.RecordIds ?? []).ToArray()));
        var inserted = Convert.ToInt64(insert.ExecuteScalar());
        transaction.Commit();
        return inserted > 0 ? Receipt.Received : use == NonceUse.SameRequest ? Receipt.SameSignedRequestAgain : Receipt.AlreadyReceived;
    }

    public PendingErasure? TryClaim(Guid requestId, string node)
    {
        using var connection = _dataSource.OpenConnection();
        // One statement: a node whose UPDATE waits on another's row lock re-checks the condition against the committed
        // row, finds it claimed by the other node, and updates nothing.
        using var command = Command(connection, null,
            """
            UPDATE erasure_work w SET claimed_by = @node, claimed_at = @now
            FROM erasures e
            WHERE w.request_id = @id AND e.request_id = w.request_id AND (w.claimed_by IS NULL OR w.claimed_by = @node)
            RETURNING w.subject_id, w.record_ids, e.subject_hash, e.dataset_id
            """,
            ("node", node), ("now", DateTimeOffset.UtcNow), ("id", requestId));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
            return null;
        return new PendingErasure(requestId, reader.GetString(0), reader.GetString(2), NullableString(reader, 3), reader.GetFieldValue<string[]>(1));
    }

    public IReadOnlyList<Guid> PendingFor(string node)
    {
        using var connection = _dataSource.OpenConnection();
        using var command = Command(connection, null,
            "SELECT request_id FROM erasure_work WHERE claimed_by IS NULL OR claimed_by = @node ORDER BY seq", ("node", node));
        using var reader = command.ExecuteReader();
        var ids = new List<Guid>();
        while (reader.Read())
            ids.Add(reader.GetGuid(0));
        return ids;
    }

    public void Release(Guid requestId, string node)
    {
        using var connection = _dataSource.OpenConnection();
        Execute(connection, null, "UPDATE erasure_work SET claimed_by = NULL, claimed_at = NULL WHERE request_id = @id AND claimed_by = @node",
            ("id", requestId), ("node", node));
    }

    public bool Advance(Guid requestId, ErasureState state, string node, string? detail = null)
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        // The erasure's row stays locked to the end of the transaction: a second node reporting the same state waits
        // here, then finds the transition committed and adds nothing.
        if (!LockErasure(connection, transaction, requestId))
            return false;
        var now = DateTimeOffset.UtcNow;
        if (!AddTransition(connection, transaction, requestId, state, node, detail, now))
            return false;
        Execute(connection, transaction, "UPDATE erasures SET state = @state, updated_at = @now, handled_by = @node WHERE request_id = @id",
            ("state", state.ToString()), ("now", now), ("node", node), ("id", requestId));
        transaction.Commit();
        return true;
    }

    public void Complete(Guid requestId, string forgetter, IReadOnlyDictionary<string, double> evidence, string node, string? summary = null) =>
        Finish(requestId, ErasureState.Completed, null, forgetter, evidence, node, summary);

    public void Reject(Guid requestId, string reason, string node) =>
        Finish(requestId, ErasureState.Rejected, reason, null, new Dictionary<string, double>(), node, reason);

    public NonceUse UseNonce(string publisher, string nonce, Guid requestId, DateTimeOffset keepSince)
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var use = ClaimNonce(connection, transaction, new NonceClaim(publisher, nonce, keepSince), requestId);
        transaction.Commit();
        return use;
    }

    private NonceUse ClaimNonce(NpgsqlConnection connection, NpgsqlTransaction transaction, NonceClaim claim, Guid requestId)
    {
        var since = claim.KeepSince.ToUniversalTime();
        if (_nonceSweep.Due())
            Execute(connection, transaction, "DELETE FROM request_nonces WHERE at < @since", ("since", since));
        // The insert is the atomic test: of two nodes using one nonce at once, one inserts and the other waits for it to
        // commit, then inserts nothing and reads the owner (each statement sees what was committed before it). A nonce
        // older than the window counts as forgotten, swept or not: it is taken over.
        while (true)
        {
            using (var insert = Command(connection, transaction,
                       """
                       INSERT INTO request_nonces (publisher, nonce, request_id, at) VALUES (@publisher, @nonce, @id, @now)
                       ON CONFLICT (publisher, nonce) DO UPDATE SET request_id = EXCLUDED.request_id, at = EXCLUDED.at
                       WHERE request_nonces.at < @since
                       RETURNING request_id
                       """,
                       ("publisher", claim.Publisher), ("nonce", claim.Nonce), ("id", requestId), ("now", DateTimeOffset.UtcNow), ("since", since)))
            {
                if (insert.ExecuteScalar() is Guid)
                    return NonceUse.New;
            }
            using var owner = Command(connection, transaction, "SELECT request_id FROM request_nonces WHERE publisher = @publisher AND nonce = @nonce",
                ("publisher", claim.Publisher), ("nonce", claim.Nonce));
            if (owner.ExecuteScalar() is Guid ownerId)
                return ownerId == requestId ? NonceUse.SameRequest : NonceUse.OtherRequest;
            // Swept by another node between the two statements: try the insert again.
        }
    }

    public bool RecordRefused(Guid requestId, string? publisher, string reason, string node, bool redelivery = false)
    {
        using var connection = _dataSource.OpenConnection();
        // A redelivery of a refusal already audited for the same reason adds nothing: one message sent twice, not two requests.
        return Execute(connection, null,
            """
            INSERT INTO refused_requests (request_id, publisher, reason, at, node)
            SELECT @id, @publisher, @reason, @now, @node
            WHERE NOT @redelivery OR NOT EXISTS (SELECT 1 FROM refused_requests WHERE request_id = @id AND reason = @reason)
            """,
            ("id", requestId), ("publisher", publisher), ("reason", reason), ("now", DateTimeOffset.UtcNow), ("node", node), ("redelivery", redelivery)) > 0;
    }

    public IReadOnlyList<Guid> Unannounced(string node)
    {
        using var connection = _dataSource.OpenConnection();
        using var command = Command(connection, null, "SELECT request_id FROM unannounced_outcomes WHERE node = @node ORDER BY seq", ("node", node));
        using var reader = command.ExecuteReader();
        var ids = new List<Guid>();
        while (reader.Read())
            ids.Add(reader.GetGuid(0));
        return ids;
    }

    public void MarkAnnounced(Guid requestId)
    {
        using var connection = _dataSource.OpenConnection();
        Execute(connection, null, "DELETE FROM unannounced_outcomes WHERE request_id = @id", ("id", requestId));
    }

    public IReadOnlyList<RefusedRequest> Refused(int limit = 1000)
    {
        using var connection = _dataSource.OpenConnection();
        using var command = Command(connection, null,
            "SELECT request_id, publisher, reason, at, node FROM refused_requests ORDER BY at DESC, seq DESC LIMIT @limit", ("limit", limit));
        using var reader = command.ExecuteReader();
        var refused = new List<RefusedRequest>();
        while (reader.Read())
            refused.Add(new RefusedRequest(reader.GetGuid(0), NullableString(reader, 1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetString(4)));
        return refused;
    }

    public ErasureRecord? Find(Guid requestId) => Query("WHERE request_id = @id", ("id", requestId)).SingleOrDefault();

    public IReadOnlyList<ErasureRecord> List(int limit = 1000) => Query("ORDER BY received_at DESC, seq DESC LIMIT @limit", ("limit", limit));

    /// <summary>
    /// The subject-hash salt every node of the fleet uses when Privacy:SubjectHashSalt is not set: generated by the
    /// first node that asks and kept in the ledger; a node asking at the same moment reads the winner's.
    /// </summary>
    public byte[] SubjectHashSalt()
    {
        using var connection = _dataSource.OpenConnection();
        Execute(connection, null, "INSERT INTO ledger_secrets (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING",
            ("name", SubjectHashSaltName), ("value", Convert.ToHexString(RandomNumberGenerator.GetBytes(32))));
        using var command = Command(connection, null, "SELECT value FROM ledger_secrets WHERE name = @name", ("name", SubjectHashSaltName));
        return Convert.FromHexString((string)command.ExecuteScalar()!);
    }

    public void Dispose() => _dataSource.Dispose();

    private void Finish(Guid requestId, ErasureState state, string? reason, string? forgetter,
        IReadOnlyDictionary<string, double> evidence, string node, string? detail)
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        if (!LockErasure(connection, transaction, requestId))
            return;
        var now = DateTimeOffset.UtcNow;
        Execute(connection, transaction,
            """
            UPDATE erasures SET state = @state, reason = @reason, forgetter = @forgetter, evidence = @evidence::jsonb,
                   handled_by = @node, updated_at = @now
            WHERE request_id = @id
            """,
            ("state", state.ToString()), ("reason", reason), ("forgetter", forgetter),
            ("evidence", JsonSerializer.Serialize(evidence)), ("node", node), ("now", now), ("id", requestId));
        AddTransition(connection, transaction, requestId, state, node, detail, now);
        Execute(connection, transaction, "DELETE FROM erasure_work WHERE request_id = @id", ("id", requestId));
        // In the same transaction as the outcome: a crash after the commit leaves the outcome to be announced at restart.
        Execute(connection, transaction, "INSERT INTO unannounced_outcomes (request_id, node) VALUES (@id, @node) ON CONFLICT (request_id) DO NOTHING",
            ("id", requestId), ("node", node));
        transaction.Commit();
    }

    private static bool LockErasure(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid requestId)
    {
        using var command = Command(connection, transaction, "SELECT 1 FROM erasures WHERE request_id = @id FOR UPDATE", ("id", requestId));
        return command.ExecuteScalar() is not null;
    }

    /// <summary>Adds a transition unless the erasure already reached that state; returns whether it was added.</summary>
    private static bool AddTransition(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid requestId,
        ErasureState state, string node, string? detail, DateTimeOffset at) =>
        Execute(connection, transaction,
            """
            INSERT INTO erasure_transitions (request_id, state, at, node, detail) VALUES (@id, @state, @at, @node, @detail)
            ON CONFLICT (request_id, state) DO NOTHING
            """,
            ("id", requestId), ("state", state.ToString()), ("at", at), ("node", node), ("detail", detail)) > 0;

    private List<ErasureRecord> Query(string tail, params (string Name, object? Value)[] parameters)
    {
        using var connection = _dataSource.OpenConnection();
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
                records.Add(ErasureRows.Read(reader, reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10)));
            }
        }
        var transitions = Transitions(connection, records.Select(r => r.RequestId).ToArray());
        return records.Select(r => r with { Transitions = transitions.TryGetValue(r.RequestId, out var t) ? t : [] }).ToList();
    }

    /// <summary>The transitions of all the given erasures in one query, each erasure's in the order they were recorded.</summary>
    private static Dictionary<Guid, List<ErasureTransition>> Transitions(NpgsqlConnection connection, Guid[] requestIds)
    {
        var transitions = new Dictionary<Guid, List<ErasureTransition>>();
        if (requestIds.Length == 0)
            return transitions;
        using var command = Command(connection, null,
            "SELECT request_id, state, at, node, detail FROM erasure_transitions WHERE request_id = ANY(@ids) ORDER BY seq", ("ids", requestIds));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetGuid(0);
            if (!transitions.TryGetValue(id, out var list))
                transitions[id] = list = [];
            list.Add(new ErasureTransition(Enum.Parse<ErasureState>(reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3),
                NullableString(reader, 4)));
        }
        return transitions;
    }

    private void CreateSchema()
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        // Held to the end of the transaction: nodes starting together would otherwise race CREATE ... IF NOT EXISTS
        // into unique-violation errors on the system catalogues.
        Execute(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", ("key", SchemaLockKey));
        // CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists: ask first, so a ledger
        // role that owns only its schema can start.
        using (var exists = Command(connection, transaction, "SELECT 1 FROM pg_namespace WHERE nspname = @schema", ("schema", Schema)))
        {
            if (exists.ExecuteScalar() is null)
                Execute(connection, transaction, $"CREATE SCHEMA {Schema}"); // the name is checked against SchemaName()
        }
        Execute(connection, transaction,
            """
            CREATE TABLE IF NOT EXISTS erasures (
                seq          bigint GENERATED ALWAYS AS IDENTITY,
                request_id   uuid PRIMARY KEY,
                subject_hash text NOT NULL,
                reference    text,
                dataset_id   text,
                record_count integer NOT NULL,
                state        text NOT NULL,
                reason       text,
                forgetter    text,
                handled_by   text,
                evidence     jsonb,
                received_at  timestamptz NOT NULL,
                updated_at   timestamptz NOT NULL);
            CREATE INDEX IF NOT EXISTS erasures_by_received ON erasures (received_at DESC, seq DESC);
            CREATE TABLE IF NOT EXISTS erasure_transitions (
                seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                request_id uuid NOT NULL REFERENCES erasures (request_id),
                state      text NOT NULL,
                at         timestamptz NOT NULL,
                node       text NOT NULL,
                detail     text,
                UNIQUE (request_id, state));
            CREATE TABLE IF NOT EXISTS refused_requests (
                seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                request_id uuid NOT NULL,
                publisher  text,
                reason     text NOT NULL,
                at         timestamptz NOT NULL,
                node       text NOT NULL);
            CREATE INDEX IF NOT EXISTS refused_requests_by_request ON refused_requests (request_id);
            CREATE TABLE IF NOT EXISTS request_nonces (
                publisher  text NOT NULL,
                nonce      text NOT NULL,
                request_id uuid NOT NULL,
                at         timestamptz NOT NULL,
                PRIMARY KEY (publisher, nonce));
            CREATE INDEX IF NOT EXISTS request_nonces_by_time ON request_nonces (at);
            CREATE TABLE IF NOT EXISTS ledger_secrets (
                name  text PRIMARY KEY,
                value text NOT NULL);
            -- The personal part of pending requests. Autovacuum visits it after every couple of deletions, so the dead
            -- rows of finished erasures are pruned and their space reused soon, not when the table has grown by 20 %.
            CREATE TABLE IF NOT EXISTS erasure_work (
                seq        bigint GENERATED ALWAYS AS IDENTITY,
                request_id uuid PRIMARY KEY REFERENCES erasures (request_id),
                subject_id text NOT NULL,
                record_ids text[] NOT NULL,
                claimed_by text,
                claimed_at timestamptz)
                WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1);
            -- Outcomes written but not yet confirmed published (an outbox). Ledgers from before it start with none:
            -- their outcomes were published when they were written.
            CREATE TABLE IF NOT EXISTS unannounced_outcomes (
                seq        bigint GENERATED ALWAYS AS IDENTITY,
                request_id uuid PRIMARY KEY REFERENCES erasures (request_id),
                node       text NOT NULL);
            """);
        transaction.Commit();
    }

    private static int Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
