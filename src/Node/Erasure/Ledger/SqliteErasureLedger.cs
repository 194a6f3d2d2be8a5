namespace Pipeline.Node.Erasure.Ledger;

/// <summary>The erasure ledger in one SQLite file (<see cref="SqliteLedgerDialect"/>); the nodes of one host may share it.</summary>
public sealed class SqliteErasureLedger : ErasureLedger
{
    public SqliteErasureLedger(string path)
        : this(new SqliteLedgerDialect(path))
    {
    }

    private SqliteErasureLedger(SqliteLedgerDialect dialect)
        : base(dialect)
    {
        Path = dialect.Path;
        dialect.CreateSchema();
    }

    /// <summary>The full path of the SQLite file.</summary>
    public string Path { get; }
}
