using Pipeline.Host.Tests.Support;
using Pipeline.Node.Erasure.Ledger;

namespace Pipeline.Host.Tests.Ledger;

/// <summary>
/// The ledger contract on a real PostgreSQL (PIPELINE_TEST_POSTGRES, see <see cref="PostgresTestDatabase"/>), plus what
/// only a shared database does: nodes starting together, the salt they share. Each test has a schema of its own, dropped after it.
/// </summary>
public sealed class PostgresErasureLedgerTests : ErasureLedgerContract
{
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();
    private readonly List<PostgresErasureLedger> _opened = [];

    protected override IErasureLedger NewLedger() => Open();

    protected override IErasureLedger SecondNode(IErasureLedger ledger) => Open();

    protected override string StoredText(IErasureLedger ledger) => PostgresTestDatabase.SchemaText(_schema);

    public override void Dispose()
    {
        lock (_opened)
        {
            foreach (var ledger in _opened)
                ledger.Dispose();
            // Also after tests that opened the ledger another way (LedgerFactory) or failed half-way.
            if (PostgresTestDatabase.Configured)
                PostgresTestDatabase.DropSchema(_schema);
        }
        base.Dispose();
    }

    [SkippableFact]
    public void Nodes_starting_together_on_a_new_schema_all_open_the_same_ledger()
    {
        var ledgers = Enumerable.Range(0, 6).AsParallel().WithDegreeOfParallelism(6).Select(_ => Open()).ToList();
        var request = Messages.Unlearn();

        Assert.True(ledgers[0].RecordReceived(request, "subj_x", "n1"));

        Assert.All(ledgers, ledger => Assert.Equal(ErasureState.Received, ledger.Find(request.RequestId)?.State));
    }

    [SkippableFact]
    public void Every_node_gets_the_one_subject_hash_salt_the_first_node_generated()
    {
        var nodeA = Open();
        var nodeB = Open();

        var salts = Enumerable.Range(0, 6).AsParallel().WithDegreeOfParallelism(6)
            .Select(i => Convert.ToHexString((i % 2 == 0 ? nodeA : nodeB).SubjectHashSalt())).ToList();

        Assert.Single(salts.Distinct());
        Assert.Equal(32, Convert.FromHexString(salts[0]).Length);
        Assert.Equal(salts[0], Convert.ToHexString(Open().SubjectHashSalt())); // and after a restart
    }

    [SkippableFact]
    public void The_location_names_server_database_and_schema_but_never_the_password()
    {
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(PostgresTestDatabase.Require());

        var location = Open().Location;

        Assert.Contains($"{connection.Host}:{connection.Port}/{connection.Database}", location);
        Assert.Contains(_schema, location);
        Assert.False(string.IsNullOrEmpty(connection.Password), "the test database should need a password");
        Assert.DoesNotContain(connection.Password!, location);
    }

    [SkippableFact]
    public void A_connection_string_file_is_read_when_the_connection_string_is_not_set()
    {
        var file = Path.Combine(TestPlugins.NewDirectory(), "ledger-connection");
        File.WriteAllText(file, PostgresTestDatabase.Require() + "\n");

        using var ledger = (PostgresErasureLedger)LedgerFactory.Open(new LedgerOptions
        {
            Provider = "postgres", ConnectionStringFile = file, Schema = _schema,
        });

        Assert.Empty(ledger.List());
        Assert.Equal(_schema, ledger.Schema);
    }

    [SkippableFact]
    public void A_server_that_does_not_answer_is_reported_in_one_line_naming_the_ledger()
    {
        var unreachable = new Npgsql.NpgsqlConnectionStringBuilder(PostgresTestDatabase.Require()) { Port = 1, Timeout = 2 };

        var failure = Assert.Throws<LedgerConfigurationException>(() => new PostgresErasureLedger(unreachable.ConnectionString, _schema));

        Assert.StartsWith("cannot open the erasure ledger postgresql://", failure.Message);
        Assert.DoesNotContain("\n", failure.Message);
        Assert.DoesNotContain(unreachable.Password!, failure.Message);
    }

    private PostgresErasureLedger Open()
    {
        var ledger = new PostgresErasureLedger(PostgresTestDatabase.Require(), _schema);
        lock (_opened)
            _opened.Add(ledger);
        return ledger;
    }
}
