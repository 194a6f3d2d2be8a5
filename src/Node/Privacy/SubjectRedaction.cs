namespace Pipeline.Node.Privacy;

/// <summary>
/// Takes the subject id out of text a forgetter plugin wrote (its reason, its summary, the message of its exception)
/// before the host stores, logs or publishes that text: plugins are third-party code and may echo the id they were
/// given. Each occurrence becomes the subject's salted hash, which is what the rest of the trail names the person by.
/// Ids shorter than <see cref="MinimumLength"/> characters are left alone: replacing every "7" would garble the
/// numbers in the text and hide little.
/// </summary>
public static class SubjectRedaction
{
    public const int MinimumLength = 3;

    public static string Redact(string text, string subjectId, string subjectHash) =>
        subjectId.Length < MinimumLength ? text : text.Replace(subjectId, subjectHash, StringComparison.OrdinalIgnoreCase);

    public static string? RedactOptional(string? text, string subjectId, string subjectHash) =>
        text is null ? null : Redact(text, subjectId, subjectHash);
}
