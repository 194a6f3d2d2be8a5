using System.Numerics;
using System.Runtime.CompilerServices;

namespace Pipeline.Modelling.Memorisation;

/// <summary>
/// Computes <see cref="MemorisationMetrics.NgramScore"/> without allocating per call: for each n the target's n-grams
/// go into an open-addressing hash table (linear probing) that lives in a reused array, and every n-gram position of
/// the output is looked up in it.
/// <para>
/// Each n-gram is reduced to a 64-bit key. When n ids fit in 64 bits at the width of the largest id (21 bits fit 3
/// ids; a 50k vocabulary's 16 bits fit 4, a 4k vocabulary's 12 bits fit 5) the ids are packed, so equal keys mean
/// equal n-grams, and the key rolls along the sequence in one shift per position. Otherwise the key is a hash of the
/// ids, and a key match is confirmed by comparing the tokens, so the result is exact whatever the hash does (a
/// collision costs a comparison, never a wrong count).
/// </para>
/// <para>
/// Slots carry the number of the table build that filled them ("stamp"): starting a new table is one increment,
/// not a clear. Not thread-safe: use one instance per thread.
/// </para>
/// </summary>
public sealed class NgramScorer
{
    private const int MinimumCapacity = 16;
    private const ulong Golden = 0x9E3779B97F4A7C15; // 2^64 / φ: Fibonacci hashing spreads keys over the table

    private Slot[] _slots = new Slot[128]; // enough for targets of 64 tokens at load ≤ 1/2; grows when needed
    private int _stamp;

    private struct Slot
    {
        public ulong Key;
        public int Start; // where the n-gram starts in the target, to confirm hashed keys
        public int Stamp;
    }

    /// <inheritdoc cref="MemorisationMetrics.NgramScore"/>
    public double Score(ReadOnlySpan<int> generated, ReadOnlySpan<int> target, IReadOnlyList<int> sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var idBits = BitsPerId(generated, target);
        double sum = 0;
        var counted = 0;
        for (var s = 0; s < sizes.Count; s++)
        {
            var n = sizes[s];
            if (n < 1) throw new ArgumentOutOfRangeException(nameof(sizes), n, "n-gram sizes must be at least 1");
            if (n > generated.Length) continue;
            sum += idBits > 0 && n * idBits <= 64
                ? PackedShare(generated, target, n, idBits)
                : HashedShare(generated, target, n);
            counted++;
        }
        return counted == 0 ? 0 : sum / counted;
    }

    /// <summary>
    /// The share of output n-gram positions found among the target's n-grams, with packed keys: the key of the n-gram
    /// ending at position i is the previous key shifted by one id, the oldest id masked off.
    /// </summary>
    private double PackedShare(ReadOnlySpan<int> generated, ReadOnlySpan<int> target, int n, int idBits)
    {
        if (target.Length < n) return 0;
        var keyMask = n * idBits == 64 ? ulong.MaxValue : (1UL << (n * idBits)) - 1;
        var (shift, slotMask) = StartTable(target.Length - n + 1);
        var slots = _slots;
        var stamp = _stamp;

        ulong key = 0;
        for (var i = 0; i < target.Length; i++)
        {
            key = ((key << idBits) | (uint)target[i]) & keyMask;
            if (i < n - 1) continue;
            for (var index = Bucket(key, shift); ; index = (index + 1) & slotMask)
            {
                ref var slot = ref slots[index];
                if (slot.Stamp != stamp)
                {
                    slot.Key = key;
                    slot.Stamp = stamp;
                    break;
                }
                if (slot.Key == key) break; // a repeated n-gram of the target: the table is a set
            }
        }

        var hits = 0;
        key = 0;
        for (var i = 0; i < generated.Length; i++)
        {
            key = ((key << idBits) | (uint)generated[i]) & keyMask;
            if (i < n - 1) continue;
            for (var index = Bucket(key, shift); ; index = (index + 1) & slotMask)
            {
                ref readonly var slot = ref slots[index];
                if (slot.Stamp != stamp) break;
                if (slot.Key == key)
                {
                    hits++;
                    break;
                }
            }
        }
        return (double)hits / (generated.Length - n + 1);
    }

    /// <summary>The same share with hashed keys, each match confirmed on the tokens.</summary>
    private double HashedShare(ReadOnlySpan<int> generated, ReadOnlySpan<int> target, int n)
    {
        if (target.Length < n) return 0;
        var targetGrams = target.Length - n + 1;
        var (shift, slotMask) = StartTable(targetGrams);
        var slots = _slots;
        var stamp = _stamp;

        for (var start = 0; start < targetGrams; start++)
        {
            var gram = target.Slice(start, n);
            var key = Hash(gram);
            for (var index = Bucket(key, shift); ; index = (index + 1) & slotMask)
            {
                ref var slot = ref slots[index];
                if (slot.Stamp != stamp)
                {
                    slot.Key = key;
                    slot.Start = start;
                    slot.Stamp = stamp;
                    break;
                }
                if (slot.Key == key && target.Slice(slot.Start, n).SequenceEqual(gram)) break;
            }
        }

        var outputGrams = generated.Length - n + 1;
        var hits = 0;
        for (var start = 0; start < outputGrams; start++)
        {
            var gram = generated.Slice(start, n);
            var key = Hash(gram);
            for (var index = Bucket(key, shift); ; index = (index + 1) & slotMask)
            {
                ref readonly var slot = ref slots[index];
                if (slot.Stamp != stamp) break;
                if (slot.Key == key && target.Slice(slot.Start, n).SequenceEqual(gram))
                {
                    hits++;
                    break;
                }
            }
        }
        return (double)hits / outputGrams;
    }

    /// <summary>Makes room for <paramref name="entries"/> at load ≤ 1/2 and empties the table (a new stamp).</summary>
    private (int Shift, int SlotMask) StartTable(int entries)
    {
        var capacity = Math.Max(MinimumCapacity, (int)BitOperations.RoundUpToPowerOf2((uint)entries * 2));
        if (_slots.Length < capacity)
        {
            _slots = new Slot[capacity];
            _stamp = 0;
        }
        if (_stamp == int.MaxValue)
        {
            Array.Clear(_slots);
            _stamp = 0;
        }
        _stamp++;
        return (64 - BitOperations.Log2((uint)capacity), capacity - 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bucket(ulong key, int shift) => (int)((key * Golden) >> shift);

    /// <summary>Multiply-xor per id, then SplitMix64's final avalanche, so a bucket's top bits depend on every id.</summary>
    private static ulong Hash(ReadOnlySpan<int> gram)
    {
        ulong key = 0x243F6A8885A308D3;
        foreach (var id in gram) key = (key ^ (uint)id) * Golden;
        key ^= key >> 31;
        key *= 0xBF58476D1CE4E5B9;
        key ^= key >> 27;
        return key;
    }

    /// <summary>The bit width of the largest id (at least 1), or 0 when an id is negative (then only hashed keys work).</summary>
    private static int BitsPerId(ReadOnlySpan<int> generated, ReadOnlySpan<int> target)
    {
        uint all = 0;
        foreach (var id in generated) all |= (uint)id;
        foreach (var id in target) all |= (uint)id;
        return (int)all < 0 ? 0 : Math.Max(1, 32 - BitOperations.LeadingZeroCount(all));
    }
}
