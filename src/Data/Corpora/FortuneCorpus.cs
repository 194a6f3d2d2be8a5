using System.Text;
using Pipeline.Modelling.Data;

namespace Pipeline.Data.Corpora;

/// <summary>
/// Debian's fortune packages: usr/share/games/fortunes/NAME holds entries separated by lines that are just "%"
/// (NAME.dat is fortune's index and NAME.u8 a link to NAME; both are skipped). Some entries underline or embolden
/// with backspace overstriking ("__\b\bUN", "'\be"), which is resolved as a terminal prints it: the letter stays,
/// the underline or accent mark goes.
/// </summary>
internal static class FortuneCorpus
{
    public static ParsedCorpus Read(string unpackedFolder)
    {
        var folder = Path.Combine(unpackedFolder, "usr", "share", "games", "fortunes");
        if (!Directory.Exists(folder))
            throw new CorpusPullException("the fortune package has no usr/share/games/fortunes: the package layout changed");
        var records = new List<TextRecord>();
        var skipped = new Dictionary<string, int>();
        foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            if (info.LinkTarget is not null || info.Extension is ".dat" or ".u8")
                continue;
            var name = info.Name;
            var number = 0;
            foreach (var entry in Entries(File.ReadAllText(file, Encoding.UTF8)))
            {
                var text = WithoutOverstriking(entry).TrimEnd();
                if (text.Trim().Length == 0)
                {
                    skipped["empty entry"] = skipped.GetValueOrDefault("empty entry") + 1;
                    continue;
                }
                records.Add(TextRecord.Plain($"{name}-{++number:0000}", name, text));
            }
        }
        if (records.Count == 0)
            throw new CorpusPullException("the fortune package held no fortunes");
        return new ParsedCorpus(records, skipped);
    }

    private static IEnumerable<string> Entries(string content)
    {
        var entry = new StringBuilder();
        foreach (var line in content.Replace("\r\n", "\n").Split('\n'))
        {
            if (line == "%")
            {
                yield return entry.ToString();
                entry.Clear();
                continue;
            }
            entry.Append(line).Append('\n');
        }
        // Text after the last "%" is an entry only if it has any (files end with "%\n").
        if (entry.ToString().Trim().Length > 0)
            yield return entry.ToString();
    }

    /// <summary>Replays backspaces as a printer would; where two characters land on one cell, a letter beats a mark.</summary>
    internal static string WithoutOverstriking(string text)
    {
        if (!text.Contains('\b'))
            return text;
        var lines = text.Split('\n').Select(line =>
        {
            var cells = new List<char>();
            var cursor = 0;
            foreach (var c in line)
            {
                if (c == '\b')
                {
                    cursor = Math.Max(0, cursor - 1);
                    continue;
                }
                if (cursor == cells.Count)
                    cells.Add(c);
                else if (!char.IsLetterOrDigit(cells[cursor]) || char.IsLetterOrDigit(c))
                    cells[cursor] = c;
                cursor++;
            }
            return new string(cells.ToArray());
        });
        return string.Join('\n', lines);
    }
}
