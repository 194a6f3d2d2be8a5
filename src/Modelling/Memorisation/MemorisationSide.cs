namespace Pipeline.Modelling.Memorisation;

/// <summary>The side labels of <see cref="ScoredRecord.Side"/>: records the model trained on, and records it never saw.</summary>
public static class MemorisationSide
{
    public const string Trained = "trained";
    public const string HeldOut = "held_out";
}
