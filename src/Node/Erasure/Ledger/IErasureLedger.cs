using Pipeline.Contracts.Messages;

namespace Pipeline.Node.Erasure.Ledger;

/// <summary>
/// The durable erasure audit ledger (configuration Ledger:Provider): SQLite for one host, PostgreSQL for a fleet of
/// nodes sharing one trail. A request is written here before its message is acknowledged; the request id is the key,
/// so redeliveries and duplicates are no-ops. Claiming pending work is atomic, so one erasure runs once however many
/// nodes share the ledger, and a state is recorded once however often it is reported.
/// </summary>
public interface IErasureLedger
{
    /// <summary>Where the ledger lives, for people to read: the SQLite file, or the PostgreSQL server, database and schema (never a password).</summary>
    string Location { get; }

    /// <summary>Stores a received request. Returns false when the request id is already in the ledger.</summary>
    bool RecordReceived(UnlearnRequested request, string subjectHash, string node);

    /// <summary>
    /// Stores a received request and, when given, claims its nonce, in one transaction: a nonce of another request
    /// stores nothing; a request id already present stores nothing either (the nonce stays claimed by its request).
    /// </summary>
    Receipt Receive(UnlearnRequested request, string subjectHash, string node, NonceClaim? nonce);

    /// <summary>Claims a pending erasure for this node; null when it is finished or another node holds it.</summary>
    PendingErasure? TryClaim(Guid requestId, string node);

    /// <summary>Pending erasures this node may run: unclaimed ones and its own (left by a crash or a restart), oldest first.</summary>
    IReadOnlyList<Guid> PendingFor(string node);

    /// <summary>Gives a claim back (shutdown mid-erasure), so the work can be picked up again.</summary>
    void Release(Guid requestId, string node);

    /// <summary>
    /// Records that an erasure reached <paramref name="state"/>; a state it had already reached (a resumed erasure runs its
    /// forgetter again from the start) is not recorded twice. Returns whether the state was new.
    /// </summary>
    bool Advance(Guid requestId, ErasureState state, string node, string? detail = null);

    /// <summary>
    /// Ends an erasure successfully: records the evidence and deletes the personal data of the request. Until
    /// <see cref="MarkAnnounced"/>, the outcome is among this node's <see cref="Unannounced"/> ones.
    /// </summary>
    void Complete(Guid requestId, string forgetter, IReadOnlyDictionary<string, double> evidence, string node, string? summary = null);

    /// <summary>Ends an erasure as rejected, with its reason; the personal data of the request is deleted too. Unannounced until marked, as Complete.</summary>
    void Reject(Guid requestId, string reason, string node);

    /// <summary>
    /// Erasures this node finished whose outcome event the broker has not yet confirmed: a node killed between writing an
    /// outcome and publishing it publishes it from here when it starts again. Oldest first.
    /// </summary>
    IReadOnlyList<Guid> Unannounced(string node);

    /// <summary>The outcome of an erasure was published (the broker confirmed it): it is no longer <see cref="Unannounced"/>.</summary>
    void MarkAnnounced(Guid requestId);

    /// <summary>
    /// Remembers that <paramref name="publisher"/> used <paramref name="nonce"/> for <paramref name="requestId"/>, and
    /// says whether the nonce is new, was already used by this very request, or by another request. Nonces older than
    /// <paramref name="keepSince"/> are forgotten.
    /// </summary>
    NonceUse UseNonce(string publisher, string nonce, Guid requestId, DateTimeOffset keepSince);

    /// <summary>
    /// Audits a request that was not accepted (unsigned, wrongly signed, stale, replayed), apart from the erasures. A
    /// <paramref name="redelivery"/> (the broker sending again a message a node refused but died before acknowledging)
    /// adds no row when this request id was already refused for the same reason. Returns whether a row was added.
    /// </summary>
    bool RecordRefused(Guid requestId, string? publisher, string reason, string node, bool redelivery = false);

    /// <summary>Refused requests, newest first.</summary>
    IReadOnlyList<RefusedRequest> Refused(int limit = 1000);

    ErasureRecord? Find(Guid requestId);

    /// <summary>Newest first.</summary>
    IReadOnlyList<ErasureRecord> List(int limit = 1000);
}
