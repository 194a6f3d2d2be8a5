namespace Pipeline.Lab.Benchmarks.Erasure;

/// <summary>
/// One ledger's figures. RequestsPerSecond: Requests signed erasure requests sent with at most InFlight unacknowledged,
/// from the first send until the last is in the ledger. P50/P99/Max: per request, sent → the consumer finished writing it to
/// the ledger (it is acknowledged to the broker next). Lost: requests (warm-up included) missing from the ledger at the end;
/// Duplicated: extra ledger rows for one request; Refused: requests the host refused (they are audited, not accepted).
/// </summary>
public sealed record ErasureFigures(
    string Ledger,
    int Requests,
    int InFlight,
    double Seconds,
    double RequestsPerSecond,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    int Lost,
    int Duplicated,
    int Refused)
{
    /// <summary>Every request accepted exactly once.</summary>
    public bool NoLoss => Lost == 0 && Duplicated == 0 && Refused == 0;
}
