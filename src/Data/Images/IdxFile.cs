using System.IO.Compression;

namespace Pipeline.Data.Images;

/// <summary>
/// LeCun's IDX format (MNIST, Fashion-MNIST), optionally gzipped: magic 0x0000 then type 0x08 (unsigned byte) and the
/// number of dimensions, the dimensions as big-endian int32, then the bytes.
/// </summary>
public static class IdxFile
{
    public static (int[] Dimensions, byte[] Data) Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: IDX file not found", path);
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return Read(stream, path);
        }
        catch (InvalidDataException bad)
        {
            throw new Pipeline.Modelling.Data.DataFormatException($"{path}: not a valid gzip stream ({bad.Message})");
        }
    }

    public static (int[] Dimensions, byte[] Data) Read(Stream stream, string name)
    {
        Span<byte> magic = stackalloc byte[4];
        if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4 || magic[0] != 0 || magic[1] != 0)
            throw new Pipeline.Modelling.Data.DataFormatException($"{name}: not an IDX file (bad magic number)");
        if (magic[2] != 0x08)
            throw new Pipeline.Modelling.Data.DataFormatException($"{name}: IDX element type 0x{magic[2]:x2} is not unsigned byte (0x08)");
        var dimensions = new int[magic[3]];
        Span<byte> word = stackalloc byte[4];
        long size = 1;
        for (var d = 0; d < dimensions.Length; d++)
        {
            if (stream.ReadAtLeast(word, 4, throwOnEndOfStream: false) < 4)
                throw new Pipeline.Modelling.Data.DataFormatException($"{name}: truncated IDX header");
            dimensions[d] = word[0] << 24 | word[1] << 16 | word[2] << 8 | word[3];
            if (dimensions[d] < 0)
                throw new Pipeline.Modelling.Data.DataFormatException($"{name}: negative IDX dimension");
            size *= dimensions[d];
        }
        if (size > int.MaxValue)
            throw new Pipeline.Modelling.Data.DataFormatException($"{name}: {size} bytes is too large");
        var data = new byte[size];
        if (stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) < data.Length)
            throw new Pipeline.Modelling.Data.DataFormatException($"{name}: truncated IDX data ({size} bytes announced)");
        return (dimensions, data);
    }

    /// <summary>Writes an uncompressed IDX file of unsigned bytes (tests and caches).</summary>
    public static void Write(Stream stream, IReadOnlyList<int> dimensions, byte[] data)
    {
        stream.Write([0, 0, 0x08, (byte)dimensions.Count]);
        foreach (var d in dimensions)
            stream.Write([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        stream.Write(data);
    }
}
