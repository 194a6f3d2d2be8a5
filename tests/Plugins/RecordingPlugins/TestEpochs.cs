namespace Pipeline.TestPlugins;

/// <summary>Epoch numbers that make the test plugins misbehave on purpose.</summary>
public static class TestEpochs
{
    /// <summary>FlakyScorer throws on this epoch.</summary>
    public const int Throw = 13;

    /// <summary>SlowScorer hangs (ignoring cancellation) on this epoch.</summary>
    public const int Hang = 99;
}
