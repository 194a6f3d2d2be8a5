using Pipeline.Modelling.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Checkpoints;

[Collection(TorchCollection.Name)]
public sealed class SafeTensorsRoundTripTests
{
    [Fact]
    public void Every_supported_dtype_round_trips_bit_for_bit_with_metadata()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var tensors = new Dictionary<string, Tensor>();
        foreach (var name in SafeTensorsDType.Names)
        {
            SafeTensorsDType.TryParse(name, out var type, out var elementBytes);
            // Random bit patterns (NaN payloads and subnormals included) prove the bytes are copied, not converted.
            var t = empty([3, 5], type);
            var bits = randint(0, 256, [15 * elementBytes], ScalarType.Byte, generator: generator);
            if (type == ScalarType.Bool) bits = bits.remainder(2);
            t.bytes = bits.bytes;
            tensors[$"t.{name}"] = t;
        }
        tensors["scalar"] = tensor(3.5f);
        tensors["empty"] = zeros([0, 4]);
        var path = Path.Combine(TinyModels.TempFolder(), "all.safetensors");

        SafeTensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["run"] = "r1", ["format"] = "pt" });
        using var reader = SafeTensorsReader.Open(path);

        Assert.Equal("r1", reader.Metadata["run"]);
        Assert.Equal(tensors.Keys.Order(), reader.Entries.Select(e => e.Name).Order());
        foreach (var (name, written) in tensors)
        {
            var read = reader.Read(name);
            Assert.Equal(written.dtype, read.dtype);
            Assert.Equal(written.shape, read.shape);
            Assert.True(written.bytes.SequenceEqual(read.bytes), name);
        }
    }

    [Fact]
    public void Reader_reads_a_file_written_by_hand_from_the_format_description()
    {
        using var scope = NewDisposeScope();
        var values = tensor(new[] { 1.5f, -2f, 3.25f, 0f, 7f, 1e-3f }).view(2, 3);
        var path = Path.Combine(TinyModels.TempFolder(), "hand.safetensors");
        File.WriteAllBytes(path, HandWrittenSafeTensors.Bytes([HandWrittenSafeTensors.Float32("w", values)]));

        using var reader = SafeTensorsReader.Open(path);

        Assert.Equal("pt", reader.Metadata["format"]);
        Assert.True(reader.Read("w").BitEquals(values));
    }
}
