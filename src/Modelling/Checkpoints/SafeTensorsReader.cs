using System.Text.Json;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Checkpoints;

/// <summary>
/// Reads a safetensors file: 8-byte little-endian header length, a JSON header
/// <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {…}}</c>, then the raw little-endian data.
/// The whole header is checked when the file is opened (lengths, offsets, sizes), so a truncated or corrupt file
/// fails before any tensor is read, naming the file and the tensor.
/// </summary>
public sealed class SafeTensorsReader : IDisposable
{
    // The format caps the header at 100 MB; anything larger is corruption, not a big model.
    private const long MaxHeaderBytes = 100_000_000;

    private readonly FileStream _stream;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafeTensorsEntry> _entries;

    private SafeTensorsReader(string path, FileStream stream, long dataStart,
        Dictionary<string, SafeTensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        _stream = stream;
        _dataStart = dataStart;
        _entries = entries;
        Metadata = metadata;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IReadOnlyCollection<SafeTensorsEntry> Entries => _entries.Values;

    public bool Contains(string name) => _entries.ContainsKey(name);

    public SafeTensorsEntry Entry(string name) =>
        _entries.TryGetValue(name, out var entry)
            ? entry
            : throw CheckpointException.InFile(Path, $"tensor {name} is missing");

    public static SafeTensorsReader Open(string path)
    {
        if (!File.Exists(path))
            throw CheckpointException.InFile(path, $"file not found ({path})");
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors data is little-endian; this reader needs a little-endian machine");

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            var (dataStart, entries, metadata) = ReadHeader(path, stream);
            return new SafeTensorsReader(path, stream, dataStart, entries, metadata);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads every tensor (CPU, stored dtype). The caller owns the tensors.</summary>
    public static Dictionary<string, Tensor> ReadAll(string path)
    {
        using var reader = Open(path);
        return reader.Entries.ToDictionary(e => e.Name, e => reader.Read(e.Name));
    }

    /// <summary>The named tensor as a new CPU tensor in its stored dtype, bit for bit.</summary>
    public Tensor Read(string name)
    {
        var entry = Entry(name);
        var tensor = empty(entry.Shape, entry.DType);
        try
        {
            _stream.Position = _dataStart + entry.Begin;
            _stream.ReadExactly(tensor.bytes);
            return tensor;
        }
        catch (EndOfStreamException e)
        {
            tensor.Dispose();
            throw CheckpointException.InFile(Path, $"tensor {name} is cut short: the file ended while reading it", e);
        }
    }

    private static (long DataStart, Dictionary<string, SafeTensorsEntry> Entries, IReadOnlyDictionary<string, string> Metadata)
        ReadHeader(string path, FileStream stream)
    {
        var fileLength = stream.Length;
        if (fileLength < 8)
            throw CheckpointException.InFile(path, $"file is {fileLength} bytes, shorter than the 8-byte header length");

        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BitConverter.ToInt64(lengthBytes);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || headerLength > fileLength - 8)
            throw CheckpointException.InFile(path,
                $"header length {headerLength} does not fit the file ({fileLength} bytes): truncated or not a safetensors file");

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var dataStart = 8 + headerLength;
        var dataLength = fileLength - dataStart;

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(headerBytes);
        }
        catch (JsonException e)
        {
            throw CheckpointException.InFile(path, $"header is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw CheckpointException.InFile(path, "header is not a JSON object");

            var entries = new Dictionary<string, SafeTensorsEntry>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    ReadMetadata(path, property.Value, metadata);
                    continue;
                }
                entries[property.Name] = ReadEntry(path, property.Name, property.Value, dataLength);
            }
            return (dataStart, entries, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw CheckpointException.InFile(path, "__metadata__ is not an object of strings");
        foreach (var item in element.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw CheckpointException.InFile(path, $"__metadata__ value {item.Name} is not a string");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafeTensorsEntry ReadEntry(string path, string name, JsonElement element, long dataLength)
    {
        CheckpointException Bad(string problem) => CheckpointException.InFile(path, $"tensor {name} {problem}");

        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !element.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
            throw Bad("has a malformed header entry (needs dtype, shape and two data_offsets)");

        var dtypeName = dtypeElement.GetString()!;
        if (!SafeTensorsDType.TryParse(dtypeName, out var dtype, out var elementBytes))
            throw Bad($"has dtype {dtypeName}, not one of {string.Join(", ", SafeTensorsDType.Names)}");

        long[] shape;
        long begin, end;
        try
        {
            shape = shapeElement.EnumerateArray().Select(d => d.GetInt64()).ToArray();
            begin = offsetsElement[0].GetInt64();
            end = offsetsElement[1].GetInt64();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw Bad("has a shape or data_offsets that are not whole numbers");
        }

        if (shape.Any(d => d < 0))
            throw Bad($"has a negative dimension in shape [{string.Join(", ", shape)}]");
        if (begin < 0 || end < begin || end > dataLength)
            throw Bad($"has data_offsets [{begin}, {end}] outside the file's {dataLength} data bytes (truncated or corrupt)");

        var expectedBytes = shape.Aggregate(1L, (a, d) => checked(a * d)) * elementBytes;
        if (end - begin != expectedBytes)
            throw Bad($"holds {end - begin} bytes, but {dtypeName} × [{string.Join(", ", shape)}] needs {expectedBytes}");

        return new SafeTensorsEntry(name, dtypeName, dtype, shape, begin, end);
    }

    public void Dispose() => _stream.Dispose();
}
