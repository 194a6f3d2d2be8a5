using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Modelling.Storage;

namespace Pipeline.Plugins.SemanticClusters;

/// <summary>
/// A train sample's clusters as cached beside it (&lt;sample&gt;.clusters.json): what they were computed from — the
/// sample file's SHA-256, the base model weights' SHA-256, the clustering settings and the record ids read (erased
/// records are not read, so an erasure changes them) — and each cluster's records and top terms. Clusters are numbered
/// from 1, largest first.
/// </summary>
public sealed record SampleClusters
{
    public const string Suffix = ".clusters.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public required string SampleSha256 { get; init; }
    public required string BaseModelSha256 { get; init; }
    public required string Settings { get; init; }
    public required IReadOnlyList<string> RecordIds { get; init; }
    public required IReadOnlyList<SampleCluster> Clusters { get; init; }

    /// <summary>Rounds the alternation ran, and how long computing the clusters took.</summary>
    public int Rounds { get; init; }
    public double Seconds { get; init; }

    public static string PathFor(string sample) => sample + Suffix;

    /// <summary>Whether these clusters were computed from exactly this input.</summary>
    public bool Matches(string sampleSha256, string baseModelSha256, string settings, IReadOnlyList<string> recordIds) =>
        SampleSha256 == sampleSha256 && BaseModelSha256 == baseModelSha256 && Settings == settings && RecordIds.SequenceEqual(recordIds);

    /// <summary>The cached clusters, or null when there are none or the file is not one (it is then recomputed).</summary>
    public static SampleClusters? TryRead(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<SampleClusters>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Readers see the old file or the whole new one, never half of it.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));
}

/// <summary>One cluster: its number (1-based), the ids of its records, and its top terms.</summary>
public sealed record SampleCluster(int Cluster, IReadOnlyList<string> RecordIds, IReadOnlyList<string> Terms);
