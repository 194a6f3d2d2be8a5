using Pipeline.Modelling.Models;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Compression;

/// <summary>
/// Which prunable weights are kept (1) and which removed (0). Exactly round(sparsity · count) weights are removed — over
/// all prunable weights together (global) or in each matrix (per layer): the lowest saliencies, ties broken by
/// position. <see cref="Apply"/> zeroes the removed weights; call it after every optimizer step of fine-tuning so they
/// stay zero.
/// </summary>
public sealed class PruningMask : IDisposable
{
    private readonly Dictionary<string, Tensor> _masks;

    private PruningMask(Dictionary<string, Tensor> masks) => _masks = masks;

    public IReadOnlyDictionary<string, Tensor> Masks => _masks;

    public static PruningMask Build(IReadOnlyDictionary<string, Tensor> saliency, double sparsity, PruningScope scope)
    {
        if (!(sparsity >= 0 && sparsity < 1)) throw new ArgumentOutOfRangeException(nameof(sparsity), "sparsity must be in [0, 1)");
        var names = saliency.Keys.Order(StringComparer.Ordinal).ToList();
        if (scope == PruningScope.PerLayer)
            return new PruningMask(names.ToDictionary(n => n, n => KeepAllBut(saliency[n].flatten(), sparsity).reshape(saliency[n].shape)));

        using var flat = cat(names.Select(n => saliency[n].flatten()).ToArray());
        using var keep = KeepAllBut(flat, sparsity);
        var masks = new Dictionary<string, Tensor>();
        long offset = 0;
        foreach (var name in names)
        {
            var count = saliency[name].NumberOfElements;
            masks[name] = keep.narrow(0, offset, count).reshape(saliency[name].shape).clone();
            offset += count;
        }
        return new PruningMask(masks);
    }

    /// <summary>Removed weights in all: the exact count the sparsity asked for.</summary>
    public long Removed => _masks.Values.Sum(m => m.NumberOfElements - m.count_nonzero().item<long>());

    public long Total => _masks.Values.Sum(m => m.NumberOfElements);

    public void Apply(GptNeoXModel model)
    {
        using var noGrad = no_grad();
        foreach (var (name, weight) in PrunableWeights.Of(model))
            if (_masks.TryGetValue(name, out var mask))
                weight.mul_(mask);
    }

    /// <summary>The share of the prunable weights that are exactly zero in the model now.</summary>
    public static double SparsityOf(GptNeoXModel model)
    {
        var weights = PrunableWeights.Of(model);
        long zeros = 0, total = 0;
        foreach (var (_, weight) in weights)
        {
            total += weight.NumberOfElements;
            zeros += weight.NumberOfElements - weight.count_nonzero().item<long>();
        }
        return total == 0 ? 0 : (double)zeros / total;
    }

    public void Dispose()
    {
        foreach (var mask in _masks.Values) mask.Dispose();
    }

    private static Tensor KeepAllBut(Tensor flat, double sparsity)
    {
        var remove = (long)Math.Round(sparsity * flat.NumberOfElements);
        var keep = ones(flat.NumberOfElements, dtype: ScalarType.Float32);
        if (remove == 0) return keep;
        var (sorted, order) = flat.sort(0, descending: false, stable: true);
        using (sorted)
        using (order)
        using (var removed = order.narrow(0, 0, remove))
            keep.index_fill_(0, removed, 0f);
        return keep;
    }
}
