namespace Pipeline.Contracts.Messages;

/// <summary>Start a governed fine-tuning run.</summary>
public sealed record StartFineTune(
    Guid RunId,
    string BaseModel,
    string Dataset,
    int Epochs,
    double LearningRate,
    int Seed,
    string Regulariser,
    double Lambda,
    DateTimeOffset Timestamp)
{
    public static readonly IReadOnlyList<string> Regularisers = ["none", "ngram", "goldfish"];
}
