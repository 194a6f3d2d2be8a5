using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Modelling.Vision;

/// <summary>
/// The widths of a CIFAR-style ResNet (He et al., 2016, §4.2): a 3×3 stem, three stages of basic blocks at strides
/// 1, 2, 2, global average pooling and one linear layer. <see cref="StageWidths"/> are the channels of each stage's
/// residual stream (the stem, every block's second convolution and the projection shortcut write them);
/// <see cref="BlockWidths"/> are the channels inside each block (its first convolution's filters). Filter pruning
/// narrows either; the standard ResNet20 is 16/32/64 with every block as wide as its stage.
/// </summary>
public sealed record ResNetShape(int InChannels, int Classes, int ImageSize, IReadOnlyList<int> StageWidths, IReadOnlyList<int> BlockWidths)
{
    public const string ModelType = "resnet";
    public const int Stages = 3;

    public int BlocksPerStage => BlockWidths.Count / Stages;

    /// <summary>ResNet-(6n+2): n blocks per stage; n = 3 is ResNet20.</summary>
    public static ResNetShape Cifar(int blocksPerStage = 3, int inChannels = 1, int classes = 10, int imageSize = 32)
    {
        int[] stages = [16, 32, 64];
        return new ResNetShape(inChannels, classes, imageSize, stages, stages.SelectMany(w => Enumerable.Repeat(w, blocksPerStage)).ToArray());
    }

    public int StageOf(int block) => block / BlocksPerStage;

    /// <summary>Channels entering block <paramref name="block"/>: the previous stage's stream for a stage's first block.</summary>
    public int InputWidthOf(int block) => block % BlocksPerStage == 0 && block > 0 ? StageWidths[StageOf(block) - 1] : StageWidths[StageOf(block)];

    /// <summary>A stage's first block (after the first stage) halves the resolution and changes width: it needs a projection.</summary>
    public bool HasProjection(int block) => StageOf(block) > 0 && block % BlocksPerStage == 0;

    public int StrideOf(int block) => HasProjection(block) ? 2 : 1;

    public void Validate()
    {
        if (StageWidths.Count != Stages)
            throw new ArgumentException($"a CIFAR ResNet has {Stages} stages, not {StageWidths.Count}");
        if (BlockWidths.Count == 0 || BlockWidths.Count % Stages != 0)
            throw new ArgumentException($"block widths ({BlockWidths.Count}) must be the same number of blocks for each of the {Stages} stages");
        if (StageWidths.Concat(BlockWidths).Any(w => w < 1) || InChannels < 1 || Classes < 2 || ImageSize < 8)
            throw new ArgumentException("every width must be at least 1, with at least 2 classes and images of at least 8 pixels");
    }

    public string ToJson() => new JsonObject
    {
        ["model_type"] = ModelType,
        ["in_channels"] = InChannels,
        ["num_classes"] = Classes,
        ["image_size"] = ImageSize,
        ["stage_widths"] = new JsonArray(StageWidths.Select(w => (JsonNode)w).ToArray()),
        ["block_widths"] = new JsonArray(BlockWidths.Select(w => (JsonNode)w).ToArray()),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Reads a config.json written by <see cref="ToJson"/>; anything else throws <see cref="FormatException"/>.</summary>
    public static ResNetShape FromJson(string json)
    {
        var node = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("config is not a JSON object");
        if ((string?)node["model_type"] != ModelType)
            throw new FormatException($"model_type is \"{(string?)node["model_type"]}\", not \"{ModelType}\"");
        int Int(string key) => node[key]?.GetValue<int>() ?? throw new FormatException($"{key} is missing");
        int[] Ints(string key) => (node[key] as JsonArray)?.Select(v => v!.GetValue<int>()).ToArray() ?? throw new FormatException($"{key} is missing");
        var shape = new ResNetShape(Int("in_channels"), Int("num_classes"), Int("image_size"), Ints("stage_widths"), Ints("block_widths"));
        try
        {
            shape.Validate();
        }
        catch (ArgumentException bad)
        {
            throw new FormatException(bad.Message);
        }
        return shape;
    }

    /// <summary>True when the folder's config.json describes a ResNet (so CNN methods apply).</summary>
    public static bool Describes(string configPath) =>
        File.Exists(configPath) && JsonNode.Parse(File.ReadAllText(configPath)) is JsonObject o && (string?)o["model_type"] == ModelType;

    public bool SameAs(ResNetShape other) =>
        InChannels == other.InChannels && Classes == other.Classes && ImageSize == other.ImageSize &&
        StageWidths.SequenceEqual(other.StageWidths) && BlockWidths.SequenceEqual(other.BlockWidths);
}
