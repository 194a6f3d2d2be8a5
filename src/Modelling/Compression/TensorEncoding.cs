using static TorchSharp.torch;

namespace Pipeline.Modelling.Compression;

/// <summary>
/// Names and tensors of a parameter in a storage format, and back. A parameter NAME is stored as NAME (float32,
/// float16, bfloat16, or int8 with its scales in NAME.int8_scale), or as NAME.sparse_bitmap + NAME.sparse_values.
/// </summary>
public static class TensorEncoding
{
    public const string ScaleSuffix = ".int8_scale";
    public const string BitmapSuffix = ".sparse_bitmap";
    public const string ValuesSuffix = ".sparse_values";

    public static readonly string[] CompanionSuffixes = [ScaleSuffix, BitmapSuffix, ValuesSuffix];

    /// <summary>The stored tensors of one parameter (the caller disposes them).</summary>
    public static IEnumerable<KeyValuePair<string, Tensor>> Encode(string name, Tensor parameter, StorageFormat format)
    {
        var matrix = parameter.dim() == 2;
        switch (format)
        {
            case StorageFormat.Float16:
                yield return new(name, parameter.detach().to(ScalarType.Float16));
                break;
            case StorageFormat.BFloat16:
                yield return new(name, parameter.detach().to(ScalarType.BFloat16));
                break;
            case StorageFormat.Int8 when matrix:
                var (values, scales) = Int8Quantisation.Quantise(parameter);
                yield return new(name, values);
                yield return new(name + ScaleSuffix, scales);
                break;
            case StorageFormat.Sparse when matrix && SparseIsSmaller(parameter):
                var (bitmap, nonZeros) = SparseTensor.Encode(parameter);
                yield return new(name + BitmapSuffix, bitmap);
                yield return new(name + ValuesSuffix, nonZeros);
                break;
            default:
                yield return new(name, parameter.detach().to(ScalarType.Float32));
                break;
        }
    }

    /// <summary>Whether a parameter's companion tensors say it is stored sparse (it then has no tensor under its own name).</summary>
    public static bool IsSparse(Func<string, bool> has, string name) => !has(name) && has(name + BitmapSuffix) && has(name + ValuesSuffix);

    private static bool SparseIsSmaller(Tensor parameter)
    {
        var elements = parameter.NumberOfElements;
        var nonZeros = parameter.count_nonzero().item<long>();
        return SparseTensor.Bytes(elements, nonZeros) < 4 * elements;
    }
}
