using System.Data.Common;
using System.Text.Json;
using Pipeline.Contracts.Messages;

namespace Pipeline.Node.Erasure.Ledger;

/// <summary>
/// The durable erasure audit ledger: one logic for every database, the <see cref="LedgerDialect"/> the only difference.
/// A request is written here before its message is acknowledged; the request id is the key, so redeliveries and
/// duplicates are no-ops. Claiming pending work is one atomic update, so an erasure runs once however many nodes share
/// the ledger; a state is recorded once (the erasure's row is held while its transition is added); the personal data
/// of a request (subject id, record ids) is deleted in the transaction that records how it ended, which also puts the
/// outcome in an outbox (unannounced_outcomes) so that a crash before the publish still announces it. Times are the
/// writing node's clock.
/// </summary>
public abstract class ErasureLedger(LedgerDialect dialect) : IErasureLedger, IDisposable
{
    private readonly StaleNonceSweep _nonceSweep = new();

    protected LedgerDialect Dialect { get; } = dialect;

    public string Location => Dialect.Location;

    /// <summary>Stores a received request. Returns false when the request id is already in the ledger.</summary>
    public bool RecordReceived(UnlearnRequested request, string subjectHash, string node) =>
        Receive(request, subjectHash, node, nonce: null) == Receipt.Received;

    public Receipt Receive(UnlearnRequested request, string subjectHash, string node, NonceClaim? nonce)
    {
        using var connection = Dialect.OpenForWriting();
        using var transaction = Dialect.BeginWrite(connection);
        var use = nonce is null ? NonceUse.New : ClaimNonce(connection, transaction, nonce, request.RequestId);
        if (use == NonceUse.OtherRequest)
        {
            transaction.Commit(); // keeps the stale-nonce cleanup
            return Receipt.NonceOfAnotherRequest;
        }
        var inserted = Convert.ToInt64(Scalar(connection, transaction, Dialect.RecordRequest,
            ("id", Dialect.Id(request.RequestId)), ("hash", subjectHash), ("reference", request.Reference), ("dataset", request.DatasetId),
            ("count", request.RecordIds?.Count ?? 0), ("state", nameof(ErasureState.Received)), ("now", Dialect.Time(DateTimeOffset.UtcNow)),
            ("node", node), ("subject", request.SubjectId), ("records", Dialect.Strings(request.RecordIds ?? []))));
        transaction.Commit();
        return inserted > 0 ? Receipt.Received : use == NonceUse.SameRequest ? Receipt.SameSignedRequestAgain : Receipt.AlreadyReceived;
    }

    /// <summary>Claims a pending erasure for this node; null when it is finished or another node holds it.</summary>
    public PendingErasure? TryClaim(Guid requestId, string node)
    {
        using var connection = Dialect.OpenForWriting();
        using var transaction = Dialect.BeginWrite(connection);
        // The update is the atomic test: a node whose update waits on another's re-checks the condition against what
        // that one committed, finds the work claimed, and updates nothing.
        var claimed = Execute(connection, transaction,
            "UPDATE erasure_work SET claimed_by = @node, claimed_at = @now WHERE request_id = @id AND (claimed_by IS NULL OR claimed_by = @node)",
            ("node", node), ("now", Dialect.Time(DateTimeOffset.UtcNow)), ("id", Dialect.Id(requestId)));
        if (claimed == 0)
            return null;
        PendingErasure pending;
        using (var command = Command(connection, transaction,
                   """
                   SELECT w.subject_id, w.record_ids, e.subject_hash, e.dataset_id
                   FROM erasure_work w JOIN erasures e ON e.request_id = w.request_id WHERE w.request_id = @id
                   """,
                   ("id", Dialect.Id(requestId))))
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            pending = new PendingErasure(requestId, reader.GetString(0), reader.GetString(2), NullableString(reader, 3), Dialect.ReadStrings(reader.GetValue(1)));
        }
        transaction.Commit();
        return pending;
    }

    /// <summary>Pending erasures this node may run: unclaimed ones and its own (left by a crash or a restart), oldest first.</summary>
    public IReadOnlyList<Guid> PendingFor(string node) =>
        Ids($"SELECT request_id FROM erasure_work WHERE claimed_by IS NULL OR claimed_by = @node ORDER BY {Dialect.InsertionOrder}", ("node", node));

    /// <summary>Gives a claim back (shutdown mid-erasure), so the work can be picked up again.</summary>
    public void Release(Guid requestId, string node)
    {
        using var connection = Dialect.OpenForWriting();
        Execute(connection, null, "UPDATE erasure_work SET claimed_by = NULL, claimed_at = NULL WHERE request_id = @id AND claimed_by = @node",
            ("id", Dialect.Id(requestId)), ("node", node));
    }

    /// <summary>
    /// Records that an erasure reached <paramref name="state"/>. An erasure resumed after a crash runs its forgetter
    /// again from the start: a stage it had already reached is not recorded twice, so the trail reads as one erasure.
    /// Returns whether the state was new.
    /// </summary>
    public bool Advance(Guid requestId, ErasureState state, string node, string? detail = null)
    {
        using var connection = Dialect.OpenForWriting();
        using var transaction = Dialect.BeginWrite(connection);
        // The erasure's row stays held to the end of the transaction: a second node reporting the same state waits here,
        // then finds the transition committed and adds nothing.
        if (!LockErasure(connection, transaction, requestId))
            return false;
        var now = DateTimeOffset.UtcNow;
        if (!AddTransition(connection, transaction, requestId, state, node, detail, now))
            return false;
        Execute(connection, transaction, "UPDATE erasures SET state = @state, updated_at = @now, handled_by = @node WHERE request_id = @id",
            ("state", state.ToString()), ("now", Dialect.Time(now)), ("node", node), ("id", Dialect.Id(requestId)));
        transaction.Commit();
        return true;
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
        using var connection = Dialect.OpenForWriting();
        using var transaction = Dialect.BeginWrite(connection);
        var use = ClaimNonce(connection, transaction, new NonceClaim(publisher, nonce, keepSince), requestId);
        transaction.Commit();
        return use;
    }

    /// <summary>
    /// Audits a request that was not accepted (unsigned, wrongly signed, stale, replayed). Kept apart from the
    /// erasures: its request id is unauthenticated, so it must not touch a real erasure of the same id. A redelivery of
    /// a refusal already audited for the same reason adds nothing: the broker sent one message twice, not two requests.
    /// </summary>
    public bool RecordRefused(Guid requestId, string? publisher, string reason, string node, bool redelivery = false)
    {
        using var connection = Dialect.OpenForWriting();
        return Execute(connection, null,
            """
            INSERT INTO refused_requests (request_id, publisher, reason, at, node)
            SELECT @id, @publisher, @reason, @now, @node
            WHERE NOT @redelivery OR NOT EXISTS (SELECT 1 FROM refused_requests WHERE request_id = @id AND reason = @reason)
            """,
            ("id", Dialect.Id(requestId)), ("publisher", publisher), ("reason", reason), ("now", Dialect.Time(DateTimeOffset.UtcNow)), ("node", node),
            ("redelivery", redelivery)) > 0;
    }

    /// <summary>Finished erasures of this node whose outcome event is not yet confirmed published, oldest first.</summary>
    public IReadOnlyList<Guid> Unannounced(string node) =>
        Ids($"SELECT request_id FROM unannounced_outcomes WHERE node = @node ORDER BY {Dialect.InsertionOrder}", ("node", node));

    public void MarkAnnounced(Guid requestId)
    {
        using var connection = Dialect.OpenForWriting();
        Execute(connection, null, "DELETE FROM unannounced_outcomes WHERE request_id = @id", ("id", Dialect.Id(requestId)));
    }

    /// <summary>Refused requests, newest first.</summary>
    public IReadOnlyList<RefusedRequest> Refused(int limit = 1000)
    {
        using var connection = Dialect.Open();
        using var command = Command(connection, null,
            $"SELECT request_id, publisher, reason, at, node FROM refused_requests ORDER BY at DESC, {Dialect.InsertionOrder} DESC LIMIT @limit",
            ("limit", limit));
        using var reader = command.ExecuteReader();
        var refused = new List<RefusedRequest>();
        while (reader.Read())
            refused.Add(new RefusedRequest(Dialect.ReadId(reader.GetValue(0)), NullableString(reader, 1), reader.GetString(2), Dialect.ReadTime(reader.GetValue(3)),
                reader.GetString(4)));
        return refused;
    }

    public ErasureRecord? Find(Guid requestId) => Query("WHERE request_id = @id", ("id", Dialect.Id(requestId))).SingleOrDefault();

    /// <summary>Newest first.</summary>
    public IReadOnlyList<ErasureRecord> List(int limit = 1000) =>
        Query($"ORDER BY received_at DESC, {Dialect.InsertionOrder} DESC LIMIT @limit", ("limit", limit));

    public void Dispose()
    {
        Dialect.Dispose();
        GC.SuppressFinalize(this);
    }

    private NonceUse ClaimNonce(DbConnection connection, DbTransaction transaction, NonceClaim claim, Guid requestId)
    {
        var since = Dialect.Time(claim.KeepSince.ToUniversalTime());
        if (_nonceSweep.Due())
            Execute(connection, transaction, "DELETE FROM request_nonces WHERE at < @since", ("since", since));
        // The insert is the atomic test: of two nodes using one nonce at once, one inserts and the other waits for it to
        // commit, then inserts nothing and reads the owner. A nonce older than the window counts as forgotten, swept or
        // not: it is taken over.
        while (true)
        {
            var inserted = Scalar(connection, transaction,
                """
                INSERT INTO request_nonces (publisher, nonce, request_id, at) VALUES (@publisher, @nonce, @id, @now)
                ON CONFLICT (publisher, nonce) DO UPDATE SET request_id = excluded.request_id, at = excluded.at
                WHERE request_nonces.at < @since
                RETURNING request_id
                """,
                ("publisher", claim.Publisher), ("nonce", claim.Nonce), ("id", Dialect.Id(requestId)), ("now", Dialect.Time(DateTimeOffset.UtcNow)),
                ("since", since));
            if (inserted is not null and not DBNull)
                return NonceUse.New;
            var owner = Scalar(connection, transaction, "SELECT request_id FROM request_nonces WHERE publisher = @publisher AND nonce = @nonce",
                ("publisher", claim.Publisher), ("nonce", claim.Nonce));
            if (owner is not null and not DBNull)
                return Dialect.ReadId(owner) == requestId ? NonceUse.SameRequest : NonceUse.OtherRequest;
            // Swept by another node between the two statements: try the insert again.
        }
    }

    private void Finish(Guid requestId, ErasureState state, string? reason, string? forgetter,
        IReadOnlyDictionary<string, double> evidence, string node, string? detail)
    {
        using var connection = Dialect.OpenForWriting();
        using (var transaction = Dialect.BeginWrite(connection))
        {
            if (!LockErasure(connection, transaction, requestId))
                return;
            var now = DateTimeOffset.UtcNow;
            Execute(connection, transaction,
                $"""
                 UPDATE erasures SET state = @state, reason = @reason, forgetter = @forgetter, evidence = {Dialect.Json("@evidence")},
                        handled_by = @node, updated_at = @now
                 WHERE request_id = @id
                 """,
                ("state", state.ToString()), ("reason", reason), ("forgetter", forgetter), ("evidence", JsonSerializer.Serialize(evidence)),
                ("node", node), ("now", Dialect.Time(now)), ("id", Dialect.Id(requestId)));
            AddTransition(connection, transaction, requestId, state, node, detail, now);
            Execute(connection, transaction, "DELETE FROM erasure_work WHERE request_id = @id", ("id", Dialect.Id(requestId)));
            // In the same transaction as the outcome: a crash after the commit leaves the outcome to be announced at restart.
            Execute(connection, transaction, "INSERT INTO unannounced_outcomes (request_id, node) VALUES (@id, @node) ON CONFLICT (request_id) DO NOTHING",
                ("id", Dialect.Id(requestId)), ("node", node));
            transaction.Commit();
        }
        Dialect.AfterErasureEnded(connection);
    }

    private bool LockErasure(DbConnection connection, DbTransaction transaction, Guid requestId) =>
        Scalar(connection, transaction, Dialect.LockErasure, ("id", Dialect.Id(requestId))) is not null and not DBNull;

    /// <summary>Adds a transition unless the erasure already reached that state; returns whether it was added.</summary>
    private bool AddTransition(DbConnection connection, DbTransaction transaction, Guid requestId, ErasureState state, string node, string? detail,
        DateTimeOffset at) =>
        Execute(connection, transaction,
            """
            INSERT INTO erasure_transitions (request_id, state, at, node, detail)
            SELECT @id, @state, @at, @node, @detail
            WHERE NOT EXISTS (SELECT 1 FROM erasure_transitions WHERE request_id = @id AND state = @state)
            """,
            ("id", Dialect.Id(requestId)), ("state", state.ToString()), ("at", Dialect.Time(at)), ("node", node), ("detail", detail)) > 0;

    private List<ErasureRecord> Query(string tail, params (string Name, object? Value)[] parameters)
    {
        using var connection = Dialect.Open();
        var records = new List<ErasureRecord>();
        using (var command = Command(connection, null, $"SELECT {ErasureRows.Columns} FROM erasures {tail}", parameters))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                records.Add(ErasureRows.Read(reader, Dialect.ReadId(reader.GetValue(0)), Dialect.ReadTime(reader.GetValue(9)), Dialect.ReadTime(reader.GetValue(10))));
        }
        var transitions = Transitions(connection, records.Select(r => r.RequestId).ToList());
        return records.Select(r => r with { Transitions = transitions.TryGetValue(r.RequestId, out var t) ? t : [] }).ToList();
    }

    /// <summary>The transitions of all the given erasures in one query, each erasure's in the order they were recorded.</summary>
    private Dictionary<Guid, List<ErasureTransition>> Transitions(DbConnection connection, IReadOnlyList<Guid> requestIds)
    {
        var transitions = new Dictionary<Guid, List<ErasureTransition>>();
        if (requestIds.Count == 0)
            return transitions;
        using var command = Command(connection, null,
            $"SELECT request_id, state, at, node, detail FROM erasure_transitions WHERE {Dialect.IdIsAnyOf("@ids")} ORDER BY {Dialect.InsertionOrder}",
            ("ids", Dialect.Ids(requestIds)));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = Dialect.ReadId(reader.GetValue(0));
            if (!transitions.TryGetValue(id, out var list))
                transitions[id] = list = [];
            list.Add(new ErasureTransition(Enum.Parse<ErasureState>(reader.GetString(1)), Dialect.ReadTime(reader.GetValue(2)), reader.GetString(3),
                NullableString(reader, 4)));
        }
        return transitions;
    }

    private List<Guid> Ids(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Dialect.Open();
        using var command = Command(connection, null, sql, parameters);
        using var reader = command.ExecuteReader();
        var ids = new List<Guid>();
        while (reader.Read())
            ids.Add(Dialect.ReadId(reader.GetValue(0)));
        return ids;
    }

    protected static int Execute(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    protected static object? Scalar(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
