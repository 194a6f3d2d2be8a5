using System.Data.Common;

namespace Pipeline.Node.Erasure.Ledger;

/// <summary>
/// What differs between the databases an erasure ledger lives in: how to connect and start a write, how ids, times and
/// lists are stored, the few statements whose syntax differs, and the schema. <see cref="ErasureLedger"/> holds the
/// logic, the same for every database; a dialect holds nothing else. Statements name parameters as @name.
/// </summary>
public abstract class LedgerDialect : IDisposable
{
    /// <summary>Where the ledger is, for people (a file path, or postgresql://user@host:port/db schema s).</summary>
    public abstract string Location { get; }

    /// <summary>A connection for reading.</summary>
    public abstract DbConnection Open();

    /// <summary>A connection for one write transaction.</summary>
    public abstract DbConnection OpenForWriting();

    /// <summary>A write transaction that holds whatever the database needs for the checks inside it to stay true.</summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>The column that orders rows as they were inserted.</summary>
    public abstract string InsertionOrder { get; }

    public abstract object Id(Guid id);

    public abstract Guid ReadId(object value);

    public abstract object Time(DateTimeOffset time);

    public abstract DateTimeOffset ReadTime(object value);

    /// <summary>A list of strings as one value (a record id list).</summary>
    public abstract object Strings(IReadOnlyList<string> values);

    public abstract string[] ReadStrings(object value);

    /// <summary>A list of ids as one parameter, for <see cref="IdIsAnyOf"/>.</summary>
    public abstract object Ids(IReadOnlyList<Guid> ids);

    /// <summary>The condition "request_id is one of the ids in @parameter".</summary>
    public abstract string IdIsAnyOf(string parameter);

    /// <summary>The placeholder of a JSON document parameter.</summary>
    public virtual string Json(string parameter) => parameter;

    /// <summary>
    /// One statement (or one command of several) that records a received request — its erasures row, its Received
    /// transition and its work row — unless its id is known, and returns as a scalar 1 when it recorded it, else 0.
    /// Parameters: @id @hash @reference @dataset @count @state @now @node @subject @records.
    /// </summary>
    public abstract string RecordRequest { get; }

    /// <summary>Reads the erasure's row and keeps it from changing until the transaction ends; a row (1) when it exists.</summary>
    public abstract string LockErasure { get; }

    /// <summary>Housekeeping after an erasure ended and its personal data was deleted (outside the transaction).</summary>
    public virtual void AfterErasureEnded(DbConnection connection)
    {
    }

    /// <summary>Creates the tables when they are missing (and brings older ones up to date).</summary>
    public abstract void CreateSchema();

    public virtual void Dispose()
    {
    }
}
