namespace Pipeline.Data.Packages;

/// <summary>A package file that was downloaded and verified, and the folder its contents were unpacked into.</summary>
internal sealed record FetchedPackage(string File, string Version, string Sha256, string Verification, string UnpackedFolder);
