using Pipeline.Modelling.Data;
namespace Pipeline.Data.Corpora;

/// <summary>Which package manager a corpus comes through.</summary>
public enum PackageRegistry
{
    Npm,
    Apt,
}

/// <summary>
/// The package a corpus is made from. npm versions are pinned; Debian packages come at the candidate version of the
/// machine's package lists (recorded in the manifest), since a Debian mirror serves only its current versions.
/// </summary>
public sealed record CorpusSource(PackageRegistry Registry, string Package, string? Version)
{
    public override string ToString() => Registry == PackageRegistry.Npm ? $"npm {Package}@{Version}" : $"apt {Package}";
}

/// <summary>What a corpus parser made of an unpacked package: the records, and how many items it left out and why.</summary>
internal sealed record ParsedCorpus(IReadOnlyList<TextRecord> Records, IReadOnlyDictionary<string, int> Skipped);

/// <summary>A public corpus `pipeline data pull NAME` knows: where it comes from and how it becomes records.</summary>
public sealed class CorpusDescriptor
{
    internal CorpusDescriptor(string name, string description, CorpusSource source, string layout, Func<string, ParsedCorpus> parse)
    {
        Name = name;
        Description = description;
        Source = source;
        Layout = layout;
        Parse = parse;
    }

    public string Name { get; }

    public string Description { get; }

    public CorpusSource Source { get; }

    /// <summary>What one record is, and who its subject is (for the README's data notes and the manifest).</summary>
    public string Layout { get; }

    /// <summary>Reads the records out of the folder the package was unpacked into.</summary>
    internal Func<string, ParsedCorpus> Parse { get; }
}
