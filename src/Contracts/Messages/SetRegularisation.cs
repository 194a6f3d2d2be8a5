namespace Pipeline.Contracts.Messages;

/// <summary>Use regularisation strength Lambda from epoch FromEpoch on; DecidedBy names the training policy.</summary>
public sealed record SetRegularisation(
    Guid RunId,
    double Lambda,
    int FromEpoch,
    string Reason,
    string DecidedBy,
    DateTimeOffset Timestamp);
