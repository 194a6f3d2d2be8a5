using static TorchSharp.torch;

namespace Pipeline.Modelling.Models;

/// <summary>
/// Keys and values of every layer for the positions already decoded, so each decoding step runs the model on the
/// new token only. Buffers are allocated once, at the first step, for <see cref="Capacity"/> positions and filled in
/// place: a step costs no allocation proportional to the sequence so far. Inference only (fill it under no_grad).
/// </summary>
public sealed class KeyValueCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;

    public KeyValueCache(int layerCount, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layerCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _keys = new Tensor?[layerCount];
        _values = new Tensor?[layerCount];
        Capacity = capacity;
    }

    /// <summary>The most positions (prefix plus generated tokens) the cache holds.</summary>
    public int Capacity { get; }

    /// <summary>Positions already stored; the next forward pass's tokens take positions from here.</summary>
    public int Length { get; private set; }

    /// <summary>Stores one layer's keys and values [B, heads, T, head_dim] at positions Length.. and returns all stored so far.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var newPositions = (int)keys.shape[2];
        if (Length + newPositions > Capacity)
            throw new InvalidOperationException(
                $"the key/value cache holds {Capacity} positions; {Length} are used and {newPositions} more were given");

        var keyBuffer = _keys[layer] ??= Allocate(keys);
        var valueBuffer = _values[layer] ??= Allocate(values);
        if (keyBuffer.shape[0] != keys.shape[0])
            throw new InvalidOperationException(
                $"the cache was filled with batch size {keyBuffer.shape[0]}, this step has {keys.shape[0]}");

        using (no_grad())
        {
            keyBuffer.narrow(2, Length, newPositions).copy_(keys);
            valueBuffer.narrow(2, Length, newPositions).copy_(values);
        }

        return (keyBuffer.narrow(2, 0, Length + newPositions), valueBuffer.narrow(2, 0, Length + newPositions));
    }

    /// <summary>Called by the model once every layer has stored the step's positions.</summary>
    internal void Advance(int positions) => Length += positions;

    private Tensor Allocate(Tensor like) =>
        // Detached from the step's dispose scope: the buffers live as long as the cache.
        zeros([like.shape[0], like.shape[1], Capacity, like.shape[3]], like.dtype, like.device).DetachFromDisposeScope();

    public void Dispose()
    {
        foreach (var t in _keys) t?.Dispose();
        foreach (var t in _values) t?.Dispose();
        Array.Clear(_keys);
        Array.Clear(_values);
    }
}
