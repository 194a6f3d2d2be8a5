using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Plugins;

/// <summary>
/// Forgotten = the erasure was carried out and verified; Evidence holds the figures that show it. When not forgotten,
/// Reason says why (the request is then rejected). Summary is a one-line account for the audit trail ("no records
/// held", "3 records in 1 run forgotten"); Models are the new model versions the erasure produced, which the host
/// announces as CheckpointSaved of kind "unlearned".
/// </summary>
public sealed record ForgettingOutcome(bool Forgotten, IReadOnlyDictionary<string, double> Evidence, string? Reason)
{
    public string? Summary { get; init; }

    public IReadOnlyList<UnlearnedModel> Models { get; init; } = [];

    public static ForgettingOutcome Done(IReadOnlyDictionary<string, double> evidence, string? summary = null) =>
        new(true, evidence, null) { Summary = summary };

    public static ForgettingOutcome Refused(string reason) => new(false, new Dictionary<string, double>(), reason);
}

/// <summary>A run's model retrained without the forgotten records: the run, the epoch count it was trained for, where it lies.</summary>
public sealed record UnlearnedModel(Guid RunId, int Epoch, CheckpointReference Checkpoint);
