using Pipeline.Modelling.Training;

namespace Pipeline.Modelling.Regularisation;

/// <summary>
/// Goldfish loss (Hans et al., 2024, "Be like a Goldfish, Don't Memorize!"), hashed variant: a target is dropped from
/// the training cross-entropy when the hash of the h tokens before it, in its own sequence, falls in the lowest 1/k of
/// the 64-bit range. The decision depends only on those token ids, so the same tokens are dropped in every epoch,
/// whatever the shuffle or packing, and a passage repeated anywhere in the corpus loses the same tokens every time
/// (which is what stops it being learnt verbatim).
/// <para>The first h targets of a sequence have fewer than h tokens before them; they hash what there is
/// (target 1 hashes token 0 alone). So sequences sharing their first few tokens drop the same early targets.</para>
/// </summary>
public sealed class GoldfishFilter : ITargetFilter
{
    // FNV-1a 64-bit offset basis and prime (http://www.isthe.com/chongo/tech/comp/fnv/).
    private const ulong FnvOffset = 0xcbf29ce484222325UL;
    private const ulong FnvPrime = 0x100000001b3UL;

    private readonly ulong _threshold;

    /// <param name="k">1/k of the targets are dropped on average; at least 2 (k = 1 would drop every target).</param>
    /// <param name="h">How many preceding tokens the hash sees; at least 1.</param>
    public GoldfishFilter(int k = 4, int h = 13)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(h, 1);
        K = k;
        H = h;
        _threshold = (ulong)(((UInt128)1 << 64) / (ulong)k); // hashes below 2^64/k are dropped
    }

    public int K { get; }

    public int H { get; }

    public bool Keep(ReadOnlySpan<int> sequence, int targetIndex)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetIndex, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(targetIndex, sequence.Length);
        var start = Math.Max(0, targetIndex - H);
        return Hash(sequence[start..targetIndex]) >= _threshold;
    }

    /// <summary>
    /// FNV-1a over each token id's four bytes, little-endian, then splitmix64's finaliser: FNV-1a alone mixes its last
    /// bytes poorly into the high bits that the threshold compares, the finaliser spreads every input bit over all 64.
    /// Fixed forever: changing it changes which tokens every past run dropped.
    /// </summary>
    internal static ulong Hash(ReadOnlySpan<int> context)
    {
        var hash = FnvOffset;
        foreach (var token in context)
        {
            var value = (uint)token;
            for (var b = 0; b < 4; b++)
            {
                hash ^= (value >> (8 * b)) & 0xff;
                hash *= FnvPrime;
            }
        }
        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        hash ^= hash >> 31;
        return hash;
    }
}
