using Pipeline.Modelling.Regularisation;
using Pipeline.Modelling.Training;

namespace Pipeline.Modelling.Tests.Regularisation;

public sealed class GoldfishFilterTests
{
    // Hash values computed independently (Python, big integers masked to 64 bits) from the documented recipe:
    // FNV-1a over each id's 4 little-endian bytes, then splitmix64's finaliser.
    private static readonly int[] Sequence = [5, 17, 42, 8, 99, 3, 3, 61, 7, 20, 11, 2, 33, 48, 9, 14];

    [Theory]
    [InlineData(new[] { 5 }, 0x8fe9e82a5983b9c2UL)]
    [InlineData(new[] { 7, 20, 11 }, 0x1877194bd16bb868UL)]
    [InlineData(new[] { 33, 48, 9 }, 0x1498628944905ea7UL)]
    [InlineData(new[] { 3, 61, 7 }, 0x4d943fe95f917edbUL)]
    public void Hash_matches_the_hand_computation(int[] context, ulong expected) =>
        Assert.Equal(expected, GoldfishFilter.Hash(context));

    [Fact]
    public void Drops_exactly_the_targets_whose_context_hash_is_below_a_quarter_of_the_range()
    {
        // h = 3, k = 4 (threshold 2^62): of targets 1..15 only the contexts [7,20,11] (target 11) and
        // [33,48,9] (target 15) hash below 0x4000000000000000; target 1 hashes [5] alone.
        var filter = new GoldfishFilter(k: 4, h: 3);

        var dropped = Enumerable.Range(1, Sequence.Length - 1).Where(t => !filter.Keep(Sequence, t)).ToArray();

        Assert.Equal([11, 15], dropped);
    }

    [Fact]
    public void Drops_roughly_a_quarter_of_a_long_random_sequence()
    {
        // 20 000 random tokens: the 13-token contexts are all distinct, so each drop is an independent-looking
        // Bernoulli(1/4) of a well-mixed hash; the standard deviation of the fraction is √(¼·¾/20 000) ≈ 0.003,
        // so 15–35 % fails only if the hash is badly biased, never by chance.
        var random = new Random(7);
        var sequence = Enumerable.Range(0, 20_001).Select(_ => random.Next(1, 50_000)).ToArray();
        var filter = new GoldfishFilter();

        var fraction = Enumerable.Range(1, 20_000).Count(t => !filter.Keep(sequence, t)) / 20_000.0;

        Assert.InRange(fraction, 0.15, 0.35);
    }

    [Fact]
    public void The_packer_masks_the_same_targets_whatever_the_order_and_row_length()
    {
        // Globally unique token ids, so each input token names its sequence and position.
        var sequences = Enumerable.Range(0, 30).Select(s => Enumerable.Range(1000 * s + 1, 5 + s % 17).ToArray()).ToArray();
        var filter = new GoldfishFilter(k: 4, h: 2);
        var expected = sequences.SelectMany(s => Enumerable.Range(1, s.Length - 1).Where(t => !filter.Keep(s, t)).Select(t => (long)s[t - 1]))
            .ToHashSet();

        HashSet<long> DroppedInputs(IEnumerable<int[]> order, int length)
        {
            var plain = SequencePacker.Pack(order, length);
            var filtered = SequencePacker.Pack(order, length, filter);
            Assert.Equal(plain.Inputs, filtered.Inputs);
            return Enumerable.Range(0, plain.Inputs.Length).Where(i => plain.Mask[i] > 0 && filtered.Mask[i] == 0)
                .Select(i => plain.Inputs[i]).ToHashSet();
        }

        var shuffled = sequences.ToArray();
        new Random(3).Shuffle(shuffled);
        var first = DroppedInputs(sequences, 32);
        var second = DroppedInputs(shuffled, 8); // different order, and sequences cut into pieces

        Assert.NotEmpty(expected);
        Assert.Equal(expected, first);
        Assert.Equal(expected, second);
    }
}
