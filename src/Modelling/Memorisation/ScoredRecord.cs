namespace Pipeline.Modelling.Memorisation;

/// <summary>
/// One record's memorisation scores. <see cref="Side"/> says whether the model trained on it (see
/// <see cref="MemorisationSide"/>); <see cref="PrefixLength"/> and <see cref="TargetLength"/> are the token counts
/// actually used. Stored per checkpoint (memorisation.jsonl) so forgetting can be checked record by record.
/// </summary>
public sealed record ScoredRecord(
    string Id,
    string SubjectId,
    string Side,
    bool Verbatim,
    double TokenMatch,
    double NgramScore,
    int PrefixLength,
    int TargetLength);
