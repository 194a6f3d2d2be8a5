using System.Security.Cryptography;
using Pipeline.Modelling.Tests.Support;
using Pipeline.Data.Corpora;
using Pipeline.Data.Packages;

namespace Pipeline.Data.Tests;

public sealed class PackageIntegrityTests
{
    [Fact]
    public void A_file_matching_npms_integrity_passes_and_a_changed_one_is_refused()
    {
        using var folder = new TemporaryFolder();
        var file = folder.File("pkg.tgz");
        File.WriteAllBytes(file, [1, 2, 3]);
        var integrity = "sha512-" + Convert.ToBase64String(SHA512.HashData(new byte[] { 1, 2, 3 }));

        Assert.Equal("npm integrity sha512 matched", PackageIntegrity.VerifyNpmIntegrity(file, integrity));
        File.WriteAllBytes(file, [1, 2, 4]);
        var error = Assert.Throws<CorpusPullException>(() => PackageIntegrity.VerifyNpmIntegrity(file, integrity));
        Assert.Contains("does not match npm's integrity", error.Message);
        Assert.Throws<CorpusPullException>(() => PackageIntegrity.VerifyNpmIntegrity(file, null));
    }

    [Fact]
    public void A_deb_differing_from_apt_caches_sha256_is_refused()
    {
        using var folder = new TemporaryFolder();
        var file = folder.File("pkg.deb");
        File.WriteAllBytes(file, [9]);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(new byte[] { 9 }));

        Assert.Equal("apt-cache SHA256 matched", PackageIntegrity.VerifyAptSha256(file, sha256.ToUpperInvariant()));
        Assert.Throws<CorpusPullException>(() => PackageIntegrity.VerifyAptSha256(file, new string('0', 64)));
    }
}
