using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Compression;
using Pipeline.Modelling.Models;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Compression;

[Collection(TorchCollection.Name)]
public sealed class CompressedCheckpointTests
{
    [Fact]
    public void Int8_round_trip_error_stays_within_half_a_step_of_each_rows_scale()
    {
        manual_seed(1);
        using var weight = randn(48, 20) * linspace(0.01, 3, 48).unsqueeze(1); // rows of very different ranges
        weight[5].zero_();

        var (values, scales) = Int8Quantisation.Quantise(weight);
        using var restored = Int8Quantisation.Dequantise(values, scales);

        Assert.Equal(ScalarType.Int8, values.dtype);
        using var error = (restored - weight).abs();
        var bound = scales.unsqueeze(1) / 2 + 1e-7;
        Assert.True((error <= bound).all().item<bool>(), $"largest error {error.max().item<float>()}");
        Assert.Equal(0, restored[5].abs().sum().item<float>()); // an all-zero row stays exactly zero
        Assert.Equal(127, values.abs().amax([1])[0].item<sbyte>()); // each row's largest value uses the full range
    }

    [Fact]
    public void Sparse_encoding_keeps_every_value_and_position()
    {
        float[] data = [0, 1.5f, 0, 0, -2, 0, 0, 0, 0, 3.25f, 0];
        using var dense = tensor(data, [1, 11]);
        var (bitmap, values) = SparseTensor.Encode(dense);

        Assert.Equal(2, bitmap.NumberOfElements); // 11 bits → 2 bytes
        Assert.Equal([1.5f, -2, 3.25f], values.data<float>().ToArray());
        using var decoded = SparseTensor.Decode(bitmap, values, [1, 11]);
        Assert.Equal(data, decoded.data<float>().ToArray());
    }

    [Theory]
    [InlineData(StorageFormat.Float16)]
    [InlineData(StorageFormat.BFloat16)]
    [InlineData(StorageFormat.Int8)]
    [InlineData(StorageFormat.Sparse)]
    public void A_compressed_checkpoint_loads_back_into_the_weights_it_encodes(StorageFormat format)
    {
        using var model = TinyModels.Create(7, TinyModels.Config(hidden: 64, layers: 2, vocab: 128));
        using (no_grad())
            foreach (var (_, p) in model.named_parameters().Where(p => p.parameter.dim() == 2))
                p.mul_(rand_like(p) > 0.6); // 60% zeros, so sparse storage pays
        var folder = TinyModels.TempFolder();
        var dense = CheckpointStore.Save(model, Path.Combine(folder, "f32"));

        var compressed = CheckpointStore.Save(model, Path.Combine(folder, format.ToString()), format: format);
        using var loaded = CheckpointStore.Load(compressed.Folder, DeviceSelector.Resolve("cpu"));

        var original = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in loaded.named_parameters())
        {
            using var expected = Expected(original[name], format);
            Assert.True(parameter.equal(expected).all().item<bool>(), $"{name} after a {format} round trip");
        }
        Assert.True(compressed.Bytes < dense.Bytes, $"{format}: {compressed.Bytes} bytes, float32 {dense.Bytes}");
        using var reader = SafeTensorsReader.Open(compressed.WeightsPath);
        Assert.Equal(format.ToString().ToLowerInvariant(), reader.Metadata[CheckpointStore.StorageMetadataKey]);
    }

    [Fact]
    public void A_sparse_tensor_whose_values_do_not_match_its_bitmap_is_an_error_naming_the_file()
    {
        using var model = TinyModels.Create(3);
        using (no_grad())
            foreach (var (_, p) in model.named_parameters().Where(p => p.parameter.dim() == 2)) p.mul_(rand_like(p) > 0.9);
        var saved = CheckpointStore.Save(model, TinyModels.TempFolder(), format: StorageFormat.Sparse);
        var tensors = SafeTensorsReader.ReadAll(saved.WeightsPath);
        var victim = tensors.Keys.First(k => k.EndsWith(TensorEncoding.ValuesSuffix, StringComparison.Ordinal));
        tensors[victim] = tensors[victim][..^1];
        SafeTensorsWriter.Write(saved.WeightsPath, tensors);

        var error = Assert.Throws<CheckpointException>(() => CheckpointStore.Load(saved.Folder, DeviceSelector.Resolve("cpu")));
        Assert.StartsWith(CheckpointStore.WeightsFileName, error.Message);
        Assert.Contains(victim[..^TensorEncoding.ValuesSuffix.Length], error.Message);
    }

    private static Tensor Expected(Tensor parameter, StorageFormat format) => format switch
    {
        StorageFormat.Float16 => parameter.to(ScalarType.Float16).to(ScalarType.Float32),
        StorageFormat.BFloat16 => parameter.to(ScalarType.BFloat16).to(ScalarType.Float32),
        StorageFormat.Int8 when parameter.dim() == 2 => Int8Quantisation.Dequantise(Int8Quantisation.Quantise(parameter).Values, Int8Quantisation.Quantise(parameter).Scales),
        _ => parameter.clone(),
    };
}
