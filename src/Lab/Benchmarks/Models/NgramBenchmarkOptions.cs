namespace Pipeline.Lab.Benchmarks.Models;

public sealed record NgramBenchmarkOptions
{
    /// <summary>Tokens in each generated sequence and in each target (the scorer's default S is 32).</summary>
    public int Length { get; init; } = 32;

    /// <summary>Distinct synthetic (generated, target) pairs, scored in turn, over and over.</summary>
    public int Pairs { get; init; } = 4096;

    /// <summary>Timed passes over the pairs continue until this much time has passed.</summary>
    public double MinimumSeconds { get; init; } = 1.0;

    public IReadOnlyList<int> NgramSizes { get; init; } = [2, 3, 4];

    /// <summary>Token ids are drawn from [0, VocabularySize): the reference model's vocabulary.</summary>
    public int VocabularySize { get; init; } = ReferenceModel.Config.VocabSize;

    /// <summary>The chance that a generated token copies the target's token at its position.</summary>
    public double CopyProbability { get; init; } = 0.5;

    public int Seed { get; init; }
}
