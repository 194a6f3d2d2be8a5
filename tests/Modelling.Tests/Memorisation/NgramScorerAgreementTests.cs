using Pipeline.Modelling.Memorisation;

namespace Pipeline.Modelling.Tests.Memorisation;

/// <summary>The fast n-gram scorer against a plain reference implementation of the definition, on many random cases.</summary>
public sealed class NgramScorerAgreementTests
{
    /// <summary>The definition, written as plainly as possible: n-grams as strings in a hash set.</summary>
    private static double Reference(int[] generated, int[] target, int[] sizes)
    {
        double sum = 0;
        var counted = 0;
        foreach (var n in sizes)
        {
            if (n > generated.Length) continue;
            var targetGrams = new HashSet<string>();
            for (var i = 0; i + n <= target.Length; i++)
                targetGrams.Add(string.Join(",", target[i..(i + n)]));
            var hits = 0;
            for (var i = 0; i + n <= generated.Length; i++)
                if (targetGrams.Contains(string.Join(",", generated[i..(i + n)]))) hits++;
            sum += (double)hits / (generated.Length - n + 1);
            counted++;
        }
        return counted == 0 ? 0 : sum / counted;
    }

    /// <summary>Id ranges that take each path: packed keys at several widths, hashed keys (wide or negative ids).</summary>
    private static readonly Func<Random, int>[] IdKinds =
    [
        r => r.Next(3),                          // tiny vocabulary: many repeated n-grams, n up to 32 packed
        r => r.Next(50),
        r => r.Next(50_000),                     // a real vocabulary: 16 bits, n ≤ 4 packed
        r => r.Next(1 << 21, (1 << 21) + 4),     // 22-bit ids: n ≤ 2 packed; few distinct ids, so many equal n-grams
        r => r.Next(),                           // 31-bit ids: n ≥ 3 hashed
        r => r.Next(-3, 3),                      // negative ids: hashed keys only
    ];

    [Fact]
    public void Fast_scorer_agrees_exactly_with_the_reference_on_5000_random_cases()
    {
        var random = new Random(11);
        var scorer = new NgramScorer(); // one instance throughout: a stale table from an earlier case must never leak
        for (var c = 0; c < 5000; c++)
        {
            var kind = IdKinds[random.Next(IdKinds.Length)];
            // Mostly decoding-sized sequences, sometimes long ones (the table grows), sometimes empty or 1 token.
            int Length() => random.Next(10) == 0 ? random.Next(100, 400) : random.Next(0, 70);
            var target = Enumerable.Range(0, Length()).Select(_ => kind(random)).ToArray();
            // Half the outputs are partly copied from the target, so matches are common, not accidents.
            var generated = Enumerable.Range(0, Length())
                .Select(i => random.Next(2) == 0 && i < target.Length ? target[i] : kind(random)).ToArray();
            var sizes = Enumerable.Range(1, 8).Where(_ => random.Next(3) == 0).DefaultIfEmpty(2).ToArray();

            var expected = Reference(generated, target, sizes);

            Assert.True(expected == scorer.Score(generated, target, sizes),
                $"case {c}: sizes {{{string.Join(",", sizes)}}}, generated [{string.Join(",", generated)}], target [{string.Join(",", target)}]: " +
                $"expected {expected}, got {scorer.Score(generated, target, sizes)}");
            Assert.Equal(expected, MemorisationMetrics.NgramScore(generated, target, sizes));
        }
    }
}
