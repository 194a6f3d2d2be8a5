using System.Text;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Checkpoints;

/// <summary>
/// Writes safetensors bytes by hand (header string + raw bytes), independently of the library's writer, so tests
/// can check the reader against the format itself and craft broken files.
/// </summary>
internal static class HandWrittenSafeTensors
{
    public sealed record Item(string Name, string DType, long[] Shape, byte[] Data);

    public static Item Float32(string name, Tensor t) =>
        new(name, "F32", t.shape, t.detach().cpu().contiguous().to(ScalarType.Float32).bytes.ToArray());

    public static Item Float16(string name, Tensor t) =>
        new(name, "F16", t.shape, t.detach().cpu().contiguous().to(ScalarType.Float16).bytes.ToArray());

    public static byte[] Bytes(IEnumerable<Item> items, Func<Item, long, (long Begin, long End)>? offsets = null)
    {
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        var data = new MemoryStream();
        foreach (var item in items)
        {
            var begin = data.Length;
            data.Write(item.Data);
            var (b, e) = offsets?.Invoke(item, begin) ?? (begin, begin + item.Data.Length);
            header.Append($",\"{item.Name}\":{{\"dtype\":\"{item.DType}\",\"shape\":[{string.Join(",", item.Shape)}],\"data_offsets\":[{b},{e}]}}");
        }
        header.Append('}');
        return Frame(Encoding.UTF8.GetBytes(header.ToString()), data.ToArray());
    }

    public static byte[] Frame(byte[] header, byte[] data)
    {
        var file = new byte[8 + header.Length + data.Length];
        BitConverter.GetBytes((long)header.Length).CopyTo(file, 0);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }
}
