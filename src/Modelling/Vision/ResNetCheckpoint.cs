using System.Text.Json.Nodes;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Storage;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Vision;

/// <summary>
/// A ResNet checkpoint folder: model.safetensors (parameters and batch-norm statistics, float32) and config.json (the
/// shape, model_type "resnet", and the pixel normalisation it was trained with). Written weights first, config last,
/// each atomically, like the language-model checkpoints.
/// </summary>
public static class ResNetCheckpoint
{
    public static CheckpointInfo Save(ResNet model, ImageNormalisation normalisation, string folder, string? dataset = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        Directory.CreateDirectory(folder);
        var weightsPath = Path.Combine(folder, CheckpointStore.WeightsFileName);
        var header = new Dictionary<string, string> { ["format"] = "pt" };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            header[key] = value;
        var tensors = model.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter))
            .Concat(model.named_buffers().Select(b => new KeyValuePair<string, Tensor>(b.name, b.buffer))).ToList();
        var sha256 = SafeTensorsWriter.WriteAtomically(weightsPath, tensors, header);
        var config = JsonNode.Parse(model.Shape.ToJson())!.AsObject();
        config["pixel_mean"] = normalisation.Mean;
        config["pixel_sd"] = normalisation.Sd;
        if (dataset is not null)
            config["dataset"] = dataset; // the image set it was trained on: what compressing it fine-tunes and measures with
        AtomicFile.WriteAllText(Path.Combine(folder, CheckpointStore.ConfigFileName), config.ToJsonString(new() { WriteIndented = true }));
        return new CheckpointInfo(folder, weightsPath, sha256, new FileInfo(weightsPath).Length);
    }

    /// <summary>True when <paramref name="folder"/> holds a ResNet checkpoint's config.</summary>
    public static bool IsResNet(string folder)
    {
        try
        {
            return ResNetShape.Describes(Path.Combine(folder, CheckpointStore.ConfigFileName));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    public static (ResNet Model, ImageNormalisation Normalisation, string? Dataset) Load(string folder)
    {
        var configPath = Path.Combine(folder, CheckpointStore.ConfigFileName);
        if (!File.Exists(configPath))
            throw CheckpointException.InFile(configPath, $"missing in {folder}");
        ResNetShape shape;
        ImageNormalisation normalisation;
        string? dataset;
        try
        {
            var text = File.ReadAllText(configPath);
            shape = ResNetShape.FromJson(text);
            var node = JsonNode.Parse(text)!;
            normalisation = new ImageNormalisation(node["pixel_mean"]?.GetValue<float>() ?? throw new FormatException("pixel_mean is missing"),
                node["pixel_sd"]?.GetValue<float>() ?? throw new FormatException("pixel_sd is missing"));
            dataset = (string?)node["dataset"];
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw CheckpointException.InFile(configPath, e.Message, e);
        }

        var model = new ResNet(shape);
        try
        {
            var weightsPath = Path.Combine(folder, CheckpointStore.WeightsFileName);
            using var reader = SafeTensorsReader.Open(weightsPath);
            using var noGrad = no_grad();
            var targets = model.named_parameters().Select(p => (p.name, Tensor: (Tensor)p.parameter))
                .Concat(model.named_buffers().Select(b => (b.name, Tensor: b.buffer))).ToList();
            foreach (var (name, target) in targets)
            {
                using var stored = reader.Read(name);
                if (!stored.shape.SequenceEqual(target.shape))
                    throw CheckpointException.InFile(weightsPath, $"tensor {name} has shape [{string.Join(",", stored.shape)}], config.json implies [{string.Join(",", target.shape)}]");
                target.copy_(stored.to(target.dtype));
            }
            var unknown = reader.Entries.Select(e => e.Name).Except(targets.Select(t => t.name)).FirstOrDefault();
            if (unknown is not null)
                throw CheckpointException.InFile(weightsPath, $"tensor {unknown} is not part of the network config.json describes");
            model.eval();
            return (model, normalisation, dataset);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
