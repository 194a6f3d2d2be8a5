using Pipeline.Modelling.Storage;
using System.Text.Json;
using Pipeline.Modelling.Compression;
using Pipeline.Modelling.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Checkpoints;

/// <summary>
/// Saves and loads GPT-NeoX checkpoints in the Hugging Face folder layout: <c>config.json</c> plus
/// <c>model.safetensors</c> (or shards listed in <c>model.safetensors.index.json</c>) with Hugging Face tensor names.
/// </summary>
public static class CheckpointStore
{
    public const string ConfigFileName = "config.json";
    public const string WeightsFileName = "model.safetensors";
    public const string ShardIndexFileName = "model.safetensors.index.json";

    // Buffers older transformers releases stored beside the weights; this model recomputes them.
    private static readonly string[] IgnoredBufferSuffixes = [".attention.bias", ".attention.masked_bias", ".rotary_emb.inv_freq"];

    /// <summary>The safetensors metadata key naming a compressed storage format (absent for plain float32).</summary>
    public const string StorageMetadataKey = "pipeline_storage";

    /// <summary>
    /// Writes the weights (float32, or the given storage format) and config. Each file is written to a temp name,
    /// flushed and renamed, the weights first and config.json last, so a crash leaves either the previous checkpoint or
    /// a folder without a new config.json, never a truncated file under a final name.
    /// </summary>
    public static CheckpointInfo Save(GptNeoXModel model, string folder, IReadOnlyDictionary<string, string>? metadata = null,
        StorageFormat format = StorageFormat.Float32)
    {
        using var scope = NewDisposeScope(); // the encoded copies of the parameters
        Directory.CreateDirectory(folder);
        var weightsPath = Path.Combine(folder, WeightsFileName);

        // "format": "pt" is what transformers checks for when it opens a safetensors file.
        var header = new Dictionary<string, string> { ["format"] = "pt" };
        if (metadata is not null)
            foreach (var (key, value) in metadata) header[key] = value;
        if (format != StorageFormat.Float32)
            header[StorageMetadataKey] = format.ToString().ToLowerInvariant();

        var tensors = format == StorageFormat.Float32
            ? model.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter)).ToList()
            : model.named_parameters().SelectMany(p => TensorEncoding.Encode(p.name, p.parameter, format)).ToList();
        var sha256 = SafeTensorsWriter.WriteAtomically(weightsPath, tensors, header);
        AtomicFile.WriteAllText(Path.Combine(folder, ConfigFileName), model.Config.ToJson());

        return new CheckpointInfo(folder, weightsPath, sha256, new FileInfo(weightsPath).Length);
    }

    /// <summary>Builds the model described by the folder's config.json, fills it from the weights, and moves it to <paramref name="device"/>.</summary>
    public static GptNeoXModel Load(string folder, Device device)
    {
        var config = LoadConfig(folder);
        var model = new GptNeoXModel(config);
        try
        {
            LoadWeightsInto(model, folder);
            model.to(device);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The folder's config.json; a model_type other than gpt_neox throws <see cref="NotSupportedException"/>.</summary>
    public static GptNeoXConfig LoadConfig(string folder)
    {
        if (!Directory.Exists(folder))
            throw new CheckpointException($"{folder}: checkpoint folder not found");
        var configPath = Path.Combine(folder, ConfigFileName);
        if (!File.Exists(configPath))
            throw CheckpointException.InFile(configPath, $"missing in {folder}");
        try
        {
            return GptNeoXConfig.Load(configPath);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw CheckpointException.InFile(configPath, e.Message, e);
        }
    }

    /// <summary>
    /// Copies every parameter of <paramref name="model"/> from the folder's safetensors (F32, F16, BF16 or F64,
    /// converted to the parameter's float32; int8 with per-channel scales, dequantised; or sparse, expanded: see
    /// <see cref="TensorEncoding"/>). Every parameter must be present with the shape the config implies; tensors the
    /// model does not have are an error (they mean the config does not describe these weights), except the buffers
    /// older checkpoints carried.
    /// </summary>
    public static void LoadWeightsInto(GptNeoXModel model, string folder)
    {
        using var source = WeightSource.Open(folder);
        var parameters = model.named_parameters().ToList();
        var expected = parameters.Select(p => p.name).ToHashSet(StringComparer.Ordinal);

        foreach (var (name, file) in source.Names)
        {
            var owner = TensorEncoding.CompanionSuffixes.FirstOrDefault(suffix => name.EndsWith(suffix, StringComparison.Ordinal)) is { } suffix
                ? name[..^suffix.Length] : name;
            if (!expected.Contains(owner) && !IgnoredBufferSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)))
                throw CheckpointException.InFile(file, $"tensor {name} is not a parameter of the gpt_neox model config.json describes");
        }

        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            if (TensorEncoding.IsSparse(source.Has, name))
            {
                var (bitmapReader, _) = source.Find(name + TensorEncoding.BitmapSuffix);
                using var bitmap = bitmapReader.Read(name + TensorEncoding.BitmapSuffix);
                using var values = source.Find(name + TensorEncoding.ValuesSuffix).Reader.Read(name + TensorEncoding.ValuesSuffix);
                try
                {
                    using var dense = SparseTensor.Decode(bitmap, values, parameter.shape);
                    parameter.copy_(dense);
                }
                catch (InvalidDataException bad)
                {
                    throw CheckpointException.InFile(bitmapReader.Path, $"tensor {name}: {bad.Message}", bad);
                }
                continue;
            }
            var (reader, entry) = source.Find(name);
            if (!entry.Shape.SequenceEqual(parameter.shape))
                throw CheckpointException.InFile(reader.Path,
                    $"tensor {name} has shape {entry.ShapeText}, config expects [{string.Join(", ", parameter.shape)}]");
            if (entry.DType == ScalarType.Int8 && source.Has(name + TensorEncoding.ScaleSuffix))
            {
                using var quantised = reader.Read(name);
                using var scales = source.Find(name + TensorEncoding.ScaleSuffix).Reader.Read(name + TensorEncoding.ScaleSuffix);
                if (scales.shape.Length != 1 || scales.shape[0] != parameter.shape[0])
                    throw CheckpointException.InFile(reader.Path, $"tensor {name}{TensorEncoding.ScaleSuffix} must hold one scale per row ({parameter.shape[0]})");
                using var dequantised = Int8Quantisation.Dequantise(quantised, scales);
                parameter.copy_(dequantised);
                continue;
            }
            if (entry.DType is not (ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float64))
                throw CheckpointException.InFile(reader.Path, $"tensor {name} has dtype {entry.DTypeName}, expected a floating-point type");

            using var stored = reader.Read(name);
            parameter.copy_(stored);
        }
    }

    /// <summary>The weights of a folder: one model.safetensors, or the shards a model.safetensors.index.json lists.</summary>
    private sealed class WeightSource : IDisposable
    {
        private readonly Dictionary<string, SafeTensorsReader> _byTensor;
        private readonly List<SafeTensorsReader> _readers;
        private readonly string _describedBy;

        private WeightSource(Dictionary<string, SafeTensorsReader> byTensor, List<SafeTensorsReader> readers, string describedBy)
        {
            _byTensor = byTensor;
            _readers = readers;
            _describedBy = describedBy;
        }

        public IEnumerable<(string Name, string File)> Names => _byTensor.Select(kv => (kv.Key, kv.Value.Path));

        public bool Has(string name) => _byTensor.ContainsKey(name);

        public (SafeTensorsReader Reader, SafeTensorsEntry Entry) Find(string name) =>
            _byTensor.TryGetValue(name, out var reader)
                ? (reader, reader.Entry(name))
                : throw CheckpointException.InFile(_describedBy, $"tensor {name} is missing");

        public static WeightSource Open(string folder)
        {
            var single = Path.Combine(folder, WeightsFileName);
            if (File.Exists(single))
            {
                var reader = SafeTensorsReader.Open(single);
                return new WeightSource(reader.Entries.ToDictionary(e => e.Name, _ => reader), [reader], single);
            }

            var index = Path.Combine(folder, ShardIndexFileName);
            if (File.Exists(index))
                return OpenShards(folder, index);

            throw CheckpointException.InFile(single, $"missing in {folder} (and no {ShardIndexFileName})");
        }

        private static WeightSource OpenShards(string folder, string indexPath)
        {
            Dictionary<string, string> weightMap;
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(indexPath));
                weightMap = document.RootElement.GetProperty("weight_map").EnumerateObject()
                    .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw CheckpointException.InFile(indexPath, $"not a valid shard index ({e.Message})", e);
            }

            var readers = new Dictionary<string, SafeTensorsReader>(StringComparer.Ordinal);
            var byTensor = new Dictionary<string, SafeTensorsReader>(StringComparer.Ordinal);
            try
            {
                foreach (var (tensor, shard) in weightMap)
                {
                    if (!readers.TryGetValue(shard, out var reader))
                        readers[shard] = reader = SafeTensorsReader.Open(Path.Combine(folder, shard));
                    if (!reader.Contains(tensor))
                        throw CheckpointException.InFile(reader.Path, $"tensor {tensor} is missing (the shard index lists it here)");
                    byTensor[tensor] = reader;
                }
            }
            catch
            {
                foreach (var r in readers.Values) r.Dispose();
                throw;
            }
            return new WeightSource(byTensor, readers.Values.ToList(), indexPath);
        }

        public void Dispose()
        {
            foreach (var reader in _readers) reader.Dispose();
        }
    }
}
