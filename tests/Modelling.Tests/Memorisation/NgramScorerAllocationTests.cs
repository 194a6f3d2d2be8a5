using Pipeline.Modelling.Memorisation;

namespace Pipeline.Modelling.Tests.Memorisation;

public sealed class NgramScorerAllocationTests
{
    [Fact]
    public void Scoring_allocates_nothing_once_the_table_is_large_enough()
    {
        var random = new Random(5);
        int[] Sequence(int length, int vocabulary) => Enumerable.Range(0, length).Select(_ => random.Next(vocabulary)).ToArray();
        var packed = (Generated: Sequence(32, 4096), Target: Sequence(32, 4096));
        var hashed = (Generated: Sequence(32, int.MaxValue), Target: Sequence(32, int.MaxValue));
        int[] sizes = [2, 3, 4];
        var scorer = new NgramScorer();
        scorer.Score(packed.Generated, packed.Target, sizes);
        MemorisationMetrics.NgramScore(hashed.Generated, hashed.Target, sizes); // creates this thread's scorer

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            scorer.Score(packed.Generated, packed.Target, sizes);
            scorer.Score(hashed.Generated, hashed.Target, sizes);
            MemorisationMetrics.NgramScore(packed.Generated, packed.Target, sizes);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
