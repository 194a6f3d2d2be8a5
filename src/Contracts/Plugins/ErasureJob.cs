namespace Pipeline.Contracts.Plugins;

/// <summary>What to forget. SubjectId is personal data: a forgetter must not log it.</summary>
public sealed record ErasureJob(
    Guid RequestId,
    string SubjectId,
    string? DatasetId,
    IReadOnlyList<string> RecordIds);
