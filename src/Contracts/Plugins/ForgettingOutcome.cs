namespace Pipeline.Contracts.Plugins;

/// <summary>
/// Forgotten = the erasure was carried out and verified; Evidence holds the figures that show it. When not forgotten,
/// Reason says why (the request is then rejected).
/// </summary>
public sealed record ForgettingOutcome(bool Forgotten, IReadOnlyDictionary<string, double> Evidence, string? Reason)
{
    public static ForgettingOutcome Done(IReadOnlyDictionary<string, double> evidence) => new(true, evidence, null);

    public static ForgettingOutcome Refused(string reason) => new(false, new Dictionary<string, double>(), reason);
}
