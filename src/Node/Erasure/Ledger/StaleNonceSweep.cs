namespace Pipeline.Node.Erasure.Ledger;

/// <summary>
/// When to delete nonces past their lifetime. Lookups already ignore those (a nonce older than the window is as good
/// as forgotten), so deleting them only reclaims space, and doing it on every request would cost each acceptance an
/// index scan and, on PostgreSQL, a round trip: once a minute per ledger instance is plenty.
/// </summary>
public sealed class StaleNonceSweep
{
    private static readonly long Interval = TimeSpan.FromMinutes(1).Ticks;
    private long _lastSweep = long.MinValue;

    /// <summary>True for one caller at most once per interval.</summary>
    public bool Due()
    {
        var now = DateTime.UtcNow.Ticks;
        var last = Interlocked.Read(ref _lastSweep);
        return (last == long.MinValue || now - last >= Interval) && Interlocked.CompareExchange(ref _lastSweep, now, last) == last;
    }
}
