using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;

namespace Pipeline.Node.Erasure.Ledger;

/// <summary>
/// The ledger in a PostgreSQL database shared by every node of a fleet, in its own schema. Ids are uuid, times
/// timestamptz, lists text[], evidence jsonb; an erasure's row is locked (FOR UPDATE) while a state is added to it.
/// PostgreSQL keeps a deleted row's bytes until VACUUM reuses its space (and in the write-ahead log and backups until
/// they expire); the erasure_work table, which holds the personal data, is vacuumed eagerly.
/// </summary>
public sealed partial class PostgresLedgerDialect : LedgerDialect
{
    /// <summary>Nodes starting together create the schema one at a time (any constant would do; this one spells "PipeLedg").</summary>
    private const long SchemaLockKey = 0x50_69_70_65_4C_65_64_67;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresLedgerDialect(string connectionString, string schema)
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
    }

    public override string Location { get; }

    /// <summary>The schema holding the ledger's tables.</summary>
    public string Schema { get; }

    public override string InsertionOrder => "seq";

    public override DbConnection Open() => _dataSource.OpenConnection();

    /// <summary>PostgreSQL takes concurrent writers: no lock in this process.</summary>
    public override DbConnection OpenForWriting() => _dataSource.OpenConnection();

    public override DbTransaction BeginWrite(DbConnection connection) => connection.BeginTransaction();

    public override object Id(Guid id) => id;

    public override Guid ReadId(object value) => (Guid)value;

    public override object Time(DateTimeOffset time) => time.ToUniversalTime();

    /// <summary>Npgsql reads timestamptz as a UTC DateTime.</summary>
    public override DateTimeOffset ReadTime(object value) => value switch
    {
        DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
        DateTimeOffset time => time,
        _ => throw new InvalidCastException($"a ledger time read as {value.GetType().Name}"),
    };

    public override object Strings(IReadOnlyList<string> values) => values.ToArray();

    public override string[] ReadStrings(object value) => (string[])value;

    public override object Ids(IReadOnlyList<Guid> ids) => ids.ToArray();

    public override string IdIsAnyOf(string parameter) => $"request_id = ANY({parameter})";

    public override string Json(string parameter) => $"{parameter}::jsonb";

    /// <summary>One statement, one round trip (foreign keys are checked at its end, when the erasure row is there).</summary>
    public override string RecordRequest =>
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
        """;

    /// <summary>Held to the end of the transaction: a second node reporting the same state waits, then sees the first's.</summary>
    public override string LockErasure => "SELECT 1 FROM erasures WHERE request_id = @id FOR UPDATE";

    public override void CreateSchema()
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        // Held to the end of the transaction: nodes starting together would otherwise race CREATE ... IF NOT EXISTS
        // into unique-violation errors on the system catalogues.
        Execute(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", ("key", SchemaLockKey));
        // CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists: ask first, so a ledger
        // role that owns only its schema can start.
        using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_namespace WHERE nspname = @schema", connection, transaction))
        {
            exists.Parameters.AddWithValue("schema", Schema);
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

    public override void Dispose() => _dataSource.Dispose();

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
