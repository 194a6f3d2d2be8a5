using Pipeline.Data.Corpora;
namespace Pipeline.Data.Packages;

/// <summary>
/// Downloads one Debian package with `apt-get download` into the work folder (no install, no root needed) and
/// unpacks it with `dpkg-deb -x`. The file is checked against the SHA256 of the same version in `apt-cache show`.
/// </summary>
internal sealed class AptPackageFetcher(PackageClient client, AptPackageLists lists)
{

    private const string UpdateHint = "the package lists may be missing or out of date: run apt-get update";

    public async Task<FetchedPackage> FetchAsync(string package, string workFolder, Action<PullStage, string> report, CancellationToken cancellationToken)
    {
        // All three clients are checked first, so a missing one is reported before anything is downloaded.
        client.Require("apt-get");
        client.Require("apt-cache");
        client.Require("apt-config");
        client.Require("dpkg-deb");
        await lists.EnsurePresentAsync(workFolder, line => report(PullStage.Downloading, line), cancellationToken);

        string file, version, expectedSha256;
        try
        {
            (file, version, expectedSha256) = await DownloadAsync(package, workFolder, report, cancellationToken);
        }
        catch (CorpusPullException failed)
        {
            if (!await lists.TryRefreshAsync(package, workFolder, line => report(PullStage.Downloading, line), cancellationToken))
                throw;
            report(PullStage.Downloading, $"{package}: trying again after apt-get update ({failed.Message})");
            (file, version, expectedSha256) = await DownloadAsync(package, workFolder, report, cancellationToken);
        }

        report(PullStage.Verifying, $"checking {Path.GetFileName(file)} against apt-cache's SHA256");
        var verification = PackageIntegrity.VerifyAptSha256(file, expectedSha256);

        cancellationToken.ThrowIfCancellationRequested();
        report(PullStage.Unpacking, $"dpkg-deb -x {Path.GetFileName(file)}");
        var unpacked = Directory.CreateDirectory(Path.Combine(workFolder, "unpacked")).FullName;
        await client.RunAsync("dpkg-deb", ["-x", file, unpacked], workFolder, cancellationToken);
        return new FetchedPackage(file, version, expectedSha256.ToLowerInvariant(), verification, unpacked);
    }

    private async Task<(string File, string Version, string Sha256)> DownloadAsync(string package, string workFolder,
        Action<PullStage, string> report, CancellationToken cancellationToken)
    {
        var record = await client.RunAsync("apt-cache", ["show", "--no-all-versions", package], workFolder, cancellationToken, failureHint: UpdateHint);
        var version = Field(record, "Version") ?? throw new CorpusPullException($"apt-cache show {package} gave no Version ({UpdateHint})");
        var expectedSha256 = Field(record, "SHA256") ?? throw new CorpusPullException($"apt-cache show {package} gave no SHA256 to verify the download against");

        report(PullStage.Downloading, $"apt-get download {package}={version}");
        var download = Path.Combine(workFolder, "download");
        if (Directory.Exists(download))
            Directory.Delete(download, recursive: true); // a second try starts clean
        Directory.CreateDirectory(download);
        // Pinning the version makes the download the one whose SHA256 was just read.
        await client.RunAsync("apt-get", ["download", $"{package}={version}"], download, cancellationToken, failureHint: UpdateHint);
        var file = Directory.GetFiles(download, "*.deb") is [var single] ? single
            : throw new CorpusPullException($"apt-get download {package} did not leave exactly one .deb file in {download}");
        return (file, version, expectedSha256);
    }

    /// <summary>A "Name: value" field of a Debian control record.</summary>
    private static string? Field(string record, string name) =>
        record.Split('\n').Select(line => line.TrimEnd('\r'))
            .FirstOrDefault(line => line.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..].Trim();
}
