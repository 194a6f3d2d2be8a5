using static TorchSharp.torch;

namespace Pipeline.Modelling.Checkpoints;

/// <summary>One tensor's header record: dtype, shape, and its byte range relative to the start of the data section.</summary>
public sealed record SafeTensorsEntry(string Name, string DTypeName, ScalarType DType, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;

    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
