using System.Security.Cryptography;
using System.Text;
using Pipeline.Modelling.Storage;
using Pipeline.Modelling.Tests.Support;

namespace Pipeline.Modelling.Tests.Storage;

public sealed class FileSha256Tests
{
    [Fact]
    public void The_hash_is_the_files_sha256_and_a_rewritten_file_is_hashed_again()
    {
        using var folder = new TemporaryFolder();
        var file = Path.Combine(folder.Path, "weights.bin");
        File.WriteAllText(file, "first");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("first"))), FileSha256.Of(file));

        File.WriteAllText(file, "second, longer");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("second, longer"))), FileSha256.Of(file));
    }

    [Fact]
    public void A_missing_file_is_named_in_the_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "model.safetensors");

        var error = Assert.Throws<FileNotFoundException>(() => FileSha256.Of(missing));

        Assert.Contains(missing, error.Message);
    }
}
