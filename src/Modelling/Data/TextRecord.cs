namespace Pipeline.Modelling.Data;

/// <summary>
/// One training record, owned by one data subject (the person, or the unit that may be forgotten as a whole).
/// Either <see cref="Text"/> (plain language modelling) or <see cref="Prompt"/> + <see cref="Response"/> (instruction
/// pairs) is set. JSONL form: {"id", "subject_id", "text"} or {"id", "subject_id", "prompt", "response"}.
/// </summary>
public sealed record TextRecord(string Id, string SubjectId, string? Text, string? Prompt, string? Response)
{
    public static TextRecord Plain(string id, string subjectId, string text) => new(id, subjectId, text, null, null);

    public static TextRecord Pair(string id, string subjectId, string prompt, string response) => new(id, subjectId, null, prompt, response);

    public bool IsPair => Text is null;

    /// <summary>The text a model sees: <see cref="Text"/>, or the prompt directly followed by the response.</summary>
    public string FullText => Text ?? Prompt + Response;

    /// <summary>The token ids a model trains on for this record: its full text, then end-of-text.</summary>
    public int[] TrainingSequence(Tokenization.ITextTokenizer tokenizer) => [.. tokenizer.Encode(FullText), tokenizer.EndOfTextId];

    /// <summary>Why this record is not well-formed, or null when it is.</summary>
    public string? Problem() =>
        string.IsNullOrWhiteSpace(Id) ? "missing id"
        : string.IsNullOrWhiteSpace(SubjectId) ? "missing subject_id"
        : Text is not null && (Prompt is not null || Response is not null) ? "has both text and prompt/response"
        : Text is null && (Prompt is null || Response is null) ? "needs text, or prompt and response"
        : null;
}
