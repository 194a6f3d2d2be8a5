using System.Security.Cryptography;
using Pipeline.Modelling.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Checkpoints;

[Collection(TorchCollection.Name)]
public sealed class CheckpointStoreTests
{
    [Fact]
    public void Save_then_Load_restores_every_weight_bit_for_bit_and_reports_the_file_hash()
    {
        using var model = TinyModels.Create(31);
        var folder = TinyModels.TempFolder();

        var info = CheckpointStore.Save(model, folder, new Dictionary<string, string> { ["run_id"] = "r-7" });
        using var loaded = CheckpointStore.Load(folder, CPU);

        Assert.Equal(Path.Combine(folder, "model.safetensors"), info.WeightsPath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(info.WeightsPath))), info.Sha256);
        Assert.Equal(new FileInfo(info.WeightsPath).Length, info.Bytes);
        Assert.Equal(model.Config, loaded.Config);
        var saved = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in loaded.named_parameters())
            Assert.True(parameter.bytes.SequenceEqual(saved[name].bytes), name);
        using var reader = SafeTensorsReader.Open(info.WeightsPath);
        Assert.Equal("r-7", reader.Metadata["run_id"]);
    }

    [Fact]
    public void Saving_leaves_only_the_final_files_and_overwrites_an_older_checkpoint()
    {
        using var first = TinyModels.Create(32);
        using var second = TinyModels.Create(33);
        var folder = TinyModels.TempFolder();

        var firstInfo = CheckpointStore.Save(first, folder);
        var secondInfo = CheckpointStore.Save(second, folder);

        Assert.Equal(["config.json", "model.safetensors"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.NotEqual(firstInfo.Sha256, secondInfo.Sha256);
        using var loaded = CheckpointStore.Load(folder, CPU);
        var expected = second.named_parameters().First().parameter;
        Assert.True(loaded.named_parameters().First().parameter.BitEquals(expected));
    }
}
