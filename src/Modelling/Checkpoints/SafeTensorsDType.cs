using static TorchSharp.torch;

namespace Pipeline.Modelling.Checkpoints;

/// <summary>The safetensors dtype names this reader and writer support, and their TorchSharp equivalents.</summary>
public static class SafeTensorsDType
{
    private static readonly (string Name, ScalarType Type, int Bytes)[] Known =
    [
        ("F64", ScalarType.Float64, 8),
        ("F32", ScalarType.Float32, 4),
        ("F16", ScalarType.Float16, 2),
        ("BF16", ScalarType.BFloat16, 2),
        ("I64", ScalarType.Int64, 8),
        ("I32", ScalarType.Int32, 4),
        ("I16", ScalarType.Int16, 2),
        ("I8", ScalarType.Int8, 1),
        ("U8", ScalarType.Byte, 1),
        ("BOOL", ScalarType.Bool, 1),
    ];

    public static IReadOnlyList<string> Names { get; } = Known.Select(k => k.Name).ToArray();

    public static bool TryParse(string name, out ScalarType type, out int elementBytes)
    {
        foreach (var k in Known)
        {
            if (k.Name == name)
            {
                type = k.Type;
                elementBytes = k.Bytes;
                return true;
            }
        }
        type = default;
        elementBytes = 0;
        return false;
    }

    public static string NameOf(ScalarType type)
    {
        foreach (var k in Known)
            if (k.Type == type) return k.Name;
        throw new NotSupportedException($"dtype {type} has no safetensors name here (supported: {string.Join(", ", Names)})");
    }
}
