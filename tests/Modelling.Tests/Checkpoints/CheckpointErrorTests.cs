using System.Text;
using Pipeline.Modelling.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Checkpoints;

/// <summary>Broken checkpoints fail with one line naming the file and the tensor, never with a crash deep inside TorchSharp.</summary>
[Collection(TorchCollection.Name)]
public sealed class CheckpointErrorTests
{
    private const string MlpWeight = "gpt_neox.layers.1.mlp.dense_h_to_4h.weight";

    /// <summary>A valid saved tiny model (hidden 32, 2 layers), whose weights file the test then damages.</summary>
    private static string SavedFolder()
    {
        using var model = TinyModels.Create(41);
        var folder = TinyModels.TempFolder();
        CheckpointStore.Save(model, folder);
        return folder;
    }

    private static string WeightsPath(string folder) => Path.Combine(folder, "model.safetensors");

    private static CheckpointException LoadFails(string folder) =>
        Assert.Throws<CheckpointException>(() => CheckpointStore.Load(folder, CPU).Dispose());

    [Fact]
    public void A_truncated_weights_file_names_the_file_and_the_cut_tensor()
    {
        var folder = SavedFolder();
        var bytes = File.ReadAllBytes(WeightsPath(folder));
        File.WriteAllBytes(WeightsPath(folder), bytes[..(bytes.Length - 100)]);

        var error = LoadFails(folder);

        Assert.StartsWith("model.safetensors: tensor ", error.Message);
        Assert.Contains("outside the file", error.Message);
    }

    [Fact]
    public void A_file_shorter_than_its_header_length_is_reported()
    {
        var folder = SavedFolder();
        File.WriteAllBytes(WeightsPath(folder), File.ReadAllBytes(WeightsPath(folder))[..40]);

        var error = LoadFails(folder);

        Assert.StartsWith("model.safetensors: header length", error.Message);
    }

    [Fact]
    public void A_header_that_is_not_json_is_reported()
    {
        var folder = SavedFolder();
        File.WriteAllBytes(WeightsPath(folder), HandWrittenSafeTensors.Frame(Encoding.UTF8.GetBytes("{\"a\": [1, 2"), new byte[16]));

        var error = LoadFails(folder);

        Assert.StartsWith("model.safetensors: header is not valid JSON", error.Message);
    }

    [Fact]
    public void Data_offsets_beyond_the_file_name_the_tensor()
    {
        var folder = TinyModels.TempFolder();
        var item = new HandWrittenSafeTensors.Item("w", "F32", [2, 2], new byte[16]);
        File.WriteAllBytes(WeightsPath(folder), HandWrittenSafeTensors.Bytes([item], (_, begin) => (begin, begin + 4000)));

        var error = Assert.Throws<CheckpointException>(() => SafeTensorsReader.Open(WeightsPath(folder)).Dispose());

        Assert.Equal("model.safetensors: tensor w has data_offsets [0, 4000] outside the file's 16 data bytes (truncated or corrupt)", error.Message);
    }

    [Fact]
    public void A_byte_count_that_disagrees_with_dtype_and_shape_names_the_tensor()
    {
        var folder = TinyModels.TempFolder();
        var item = new HandWrittenSafeTensors.Item("w", "F32", [2, 3], new byte[16]);
        File.WriteAllBytes(WeightsPath(folder), HandWrittenSafeTensors.Bytes([item]));

        var error = Assert.Throws<CheckpointException>(() => SafeTensorsReader.Open(WeightsPath(folder)).Dispose());

        Assert.Equal("model.safetensors: tensor w holds 16 bytes, but F32 × [2, 3] needs 24", error.Message);
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        var folder = SavedFolder();
        var kept = SafeTensorsReader.ReadAll(WeightsPath(folder)).Where(kv => kv.Key != MlpWeight);
        SafeTensorsWriter.Write(WeightsPath(folder), kept);

        var error = LoadFails(folder);

        Assert.Equal($"model.safetensors: tensor {MlpWeight} is missing", error.Message);
    }

    [Fact]
    public void A_tensor_whose_shape_disagrees_with_the_config_names_both_shapes()
    {
        var folder = SavedFolder();
        var tensors = SafeTensorsReader.ReadAll(WeightsPath(folder));
        tensors[MlpWeight] = zeros(256, 32);
        SafeTensorsWriter.Write(WeightsPath(folder), tensors);

        var error = LoadFails(folder);

        Assert.Equal($"model.safetensors: tensor {MlpWeight} has shape [256, 32], config expects [128, 32]", error.Message);
    }

    [Fact]
    public void A_tensor_the_config_does_not_describe_is_named()
    {
        var folder = SavedFolder();
        var tensors = SafeTensorsReader.ReadAll(WeightsPath(folder));
        tensors["gpt_neox.layers.2.mlp.dense_h_to_4h.weight"] = zeros(128, 32);
        SafeTensorsWriter.Write(WeightsPath(folder), tensors);

        var error = LoadFails(folder);

        Assert.Contains("tensor gpt_neox.layers.2.mlp.dense_h_to_4h.weight is not a parameter", error.Message);
    }

    [Fact]
    public void Missing_files_and_folders_are_named()
    {
        var folder = SavedFolder();
        File.Delete(WeightsPath(folder));
        Assert.StartsWith("model.safetensors: missing in", LoadFails(folder).Message);

        File.Delete(Path.Combine(folder, "config.json"));
        Assert.StartsWith("config.json: missing in", LoadFails(folder).Message);

        Assert.EndsWith("checkpoint folder not found", LoadFails(Path.Combine(folder, "nowhere")).Message);
    }

    [Fact]
    public void A_llama_checkpoint_is_refused_as_not_supported()
    {
        var folder = SavedFolder();
        File.WriteAllText(Path.Combine(folder, "config.json"), """{"model_type": "llama", "hidden_size": 64}""");

        var error = Assert.Throws<NotSupportedException>(() => CheckpointStore.Load(folder, CPU));

        Assert.Equal("model_type 'llama' is not supported: only gpt_neox (Pythia) checkpoints load", error.Message);
    }
}
