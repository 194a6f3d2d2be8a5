using System.Text.Json;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Checkpoints;

/// <summary>Writes tensors in the safetensors layout (see <see cref="SafeTensorsReader"/>), bytes exactly as held in memory.</summary>
public static class SafeTensorsWriter
{
    /// <summary>Writes to <paramref name="path"/> directly; callers wanting atomicity write a temp path and rename it.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(stream, tensors, metadata);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Writes to a temp name, flushes and renames it to <paramref name="path"/> (a crash leaves the old file or none,
    /// never a truncated one); returns the file's SHA-256 (hex), computed while writing.
    /// </summary>
    public static string WriteAtomically(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var sha256 = "";
        Storage.AtomicFile.Write(path, stream =>
        {
            using var hashing = new HashingStream(stream);
            Write(hashing, tensors, metadata);
            sha256 = hashing.HashHex();
        });
        return sha256;
    }

    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors data is little-endian; this writer needs a little-endian machine");

        var list = tensors.ToList();
        var header = BuildHeader(list, metadata);

        Span<byte> lengthBytes = stackalloc byte[8];
        BitConverter.TryWriteBytes(lengthBytes, (long)header.Length);
        stream.Write(lengthBytes);
        stream.Write(header);

        foreach (var (_, tensor) in list)
        {
            // bytes needs a contiguous CPU tensor; copies are made only when the tensor is not one already.
            using var scope = NewDisposeScope();
            var cpu = tensor.detach().cpu().contiguous();
            stream.Write(cpu.bytes);
        }
    }

    private static byte[] BuildHeader(List<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                var bytes = tensor.NumberOfElements * tensor.ElementSize;
                json.WriteStartObject(name);
                json.WriteString("dtype", SafeTensorsDType.NameOf(tensor.dtype));
                json.WriteStartArray("shape");
                foreach (var d in tensor.shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }

        // Pad the header with spaces to a multiple of 8 so the data section starts aligned, as the format recommends.
        var header = buffer.ToArray();
        var padded = (header.Length + 7) / 8 * 8;
        var result = new byte[padded];
        header.CopyTo(result, 0);
        result.AsSpan(header.Length).Fill((byte)' ');
        return result;
    }
}
