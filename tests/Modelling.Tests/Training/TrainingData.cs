namespace Pipeline.Modelling.Tests.Training;

/// <summary>Small token corpora for training tests.</summary>
internal static class TrainingData
{
    /// <summary>The same pseudo-random sequence repeated: a model can memorise it in a few dozen steps.</summary>
    public static int[][] Repeated(int copies, int length, int vocab, int seed = 1)
    {
        var random = new Random(seed);
        var sequence = Enumerable.Range(0, length).Select(_ => random.Next(1, vocab)).ToArray();
        return Enumerable.Range(0, copies).Select(_ => sequence.ToArray()).ToArray();
    }

    /// <summary>Varied sequences of varied lengths, so packing and shuffling matter.</summary>
    public static int[][] Varied(int count, int vocab, int seed = 2)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => Enumerable.Range(0, random.Next(5, 40)).Select(_ => random.Next(1, vocab)).ToArray())
            .ToArray();
    }
}
