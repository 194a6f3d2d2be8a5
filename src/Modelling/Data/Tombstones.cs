using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Modelling.Storage;

namespace Pipeline.Modelling.Data;

/// <summary>
/// The records erased from a data set file, kept beside it as FILE.tombstones: a random salt and the salted SHA-256
/// of each erased record id (the ids themselves may be personal, so they are not kept). <see cref="JsonlDataset.Read"/>
/// skips every tombstoned record, so a record erased once never comes back into a run — also when the file is later
/// replaced by a copy that still holds it (a new export from the source system).
/// </summary>
public sealed class Tombstones
{
    public const string Suffix = ".tombstones";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly HashSet<string> _hashes;
    private readonly string _salt;

    private Tombstones(string path, string salt, IEnumerable<string> hashes)
    {
        Path = path;
        _salt = salt;
        _hashes = hashes.ToHashSet(StringComparer.Ordinal);
    }

    public string Path { get; }

    public int Count => _hashes.Count;

    public static string PathFor(string datasetPath) => System.IO.Path.GetFullPath(datasetPath) + Suffix;

    /// <summary>The tombstones of a data set file; empty (nothing saved yet) when it has none.</summary>
    public static Tombstones For(string datasetPath)
    {
        var path = PathFor(datasetPath);
        if (!File.Exists(path))
            return new Tombstones(path, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), []);
        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json)
                ?? throw new DataFormatException($"{path}: empty tombstone file");
            return new Tombstones(path, stored.Salt, stored.Records);
        }
        catch (JsonException bad)
        {
            throw new DataFormatException($"{path}: unreadable tombstone file ({bad.Message})", bad);
        }
    }

    public bool Contains(string recordId) => _hashes.Contains(Hash(recordId));

    public void Add(IEnumerable<string> recordIds)
    {
        foreach (var id in recordIds)
            _hashes.Add(Hash(id));
    }

    public void Save() => AtomicFile.WriteAllText(Path, JsonSerializer.Serialize(new Stored(_salt, _hashes.Order(StringComparer.Ordinal).ToList()), Json));

    private string Hash(string recordId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{_salt}\n{recordId}")));

    private sealed record Stored(string Salt, List<string> Records);
}
