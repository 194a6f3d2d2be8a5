using static TorchSharp.torch;

namespace Pipeline.Modelling.Compression;

/// <summary>
/// A mostly-zero tensor as a bitmap of its non-zero positions (row-major, bit i of byte i/8, least significant bit first)
/// and the non-zero values in that order: N/8 + 4·nnz bytes instead of 4·N.
/// </summary>
public static class SparseTensor
{
    public static (Tensor Bitmap, Tensor Values) Encode(Tensor dense)
    {
        var flat = dense.detach().to(ScalarType.Float32).contiguous().flatten().data<float>().ToArray();
        var bitmap = new byte[(flat.Length + 7) / 8];
        var values = new List<float>(flat.Length);
        for (var i = 0; i < flat.Length; i++)
        {
            if (flat[i] == 0) continue;
            bitmap[i >> 3] |= (byte)(1 << (i & 7));
            values.Add(flat[i]);
        }
        return (tensor(bitmap, [bitmap.Length]), tensor(values.ToArray(), [values.Count]));
    }

    public static Tensor Decode(Tensor bitmap, Tensor values, long[] shape)
    {
        var bits = bitmap.contiguous().data<byte>().ToArray();
        var stored = values.to(ScalarType.Float32).contiguous().data<float>().ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (bits.Length != (count + 7) / 8)
            throw new InvalidDataException($"sparse bitmap has {bits.Length} bytes, a tensor of {count} elements needs {(count + 7) / 8}");
        var dense = new float[count];
        var next = 0;
        for (var i = 0; i < count; i++)
        {
            if ((bits[i >> 3] & (1 << (i & 7))) == 0) continue;
            if (next >= stored.Length) throw new InvalidDataException("sparse bitmap marks more non-zeros than there are values");
            dense[i] = stored[next++];
        }
        if (next != stored.Length) throw new InvalidDataException($"sparse tensor has {stored.Length} values, its bitmap marks {next}");
        return tensor(dense, shape);
    }

    /// <summary>Bytes on disk of the sparse form of a tensor with this many elements and non-zeros.</summary>
    public static long Bytes(long elements, long nonZeros) => (elements + 7) / 8 + 4 * nonZeros;
}
