using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Data.Corpora;

/// <summary>
/// Just enough RFC 822/2045 to turn a raw e-mail into a sender and readable text: unfolded headers, MIME multipart
/// (first text/plain part, else the first text/html part reduced to text), base64 and quoted-printable bodies in
/// their declared charset, and RFC 2047 encoded words in the Subject.
/// </summary>
internal sealed partial class MailMessage
{
    private readonly Dictionary<string, string> _headers;
    private readonly string _body;

    private MailMessage(Dictionary<string, string> headers, string body)
    {
        _headers = headers;
        _body = body;
    }

    public static MailMessage Parse(string raw)
    {
        var text = raw.Replace("\r\n", "\n");
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? "" : text[(split + 2)..];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? current = null;
        foreach (var line in head.Split('\n'))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                if (current is not null)
                    headers[current] += " " + line.Trim();
                continue;
            }
            var colon = line.IndexOf(':');
            if (colon <= 0 || line[..colon].Contains(' '))
            {
                current = null;   // the mbox "From sender date" line, or noise
                continue;
            }
            current = line[..colon];
            // The first occurrence wins (a forwarded or resent message repeats headers further down).
            if (!headers.TryAdd(current, line[(colon + 1)..].Trim()))
                current = null;
        }
        return new MailMessage(headers, body);
    }

    public string? Header(string name) => _headers.GetValueOrDefault(name);

    /// <summary>The address in From: ("Name &lt;a@b&gt;", "a@b (Name)" or "a@b"), lower-cased; null when there is none.</summary>
    public string? FromAddress
    {
        get
        {
            var from = Header("From");
            if (from is null)
                return null;
            var match = AngleAddress().Match(from) is { Success: true } angled ? angled : BareAddress().Match(from);
            return match.Success ? match.Groups["address"].Value.Trim().ToLowerInvariant() : null;
        }
    }

    public string Subject => DecodeWords(Header("Subject") ?? "").Trim();

    /// <summary>The readable body: the first text/plain part, else the first text/html part as text; "" when neither.</summary>
    public string BodyText()
    {
        var plain = FindPart(_headers, _body, "text/plain", depth: 0);
        if (plain is not null)
            return Tidy(plain);
        var html = FindPart(_headers, _body, "text/html", depth: 0);
        return html is null ? "" : Tidy(HtmlToText(html));
    }

    private static string? FindPart(IReadOnlyDictionary<string, string> headers, string body, string wanted, int depth)
    {
        var (type, parameters) = ContentType(headers.GetValueOrDefault("Content-Type"));
        if (type.StartsWith("multipart/", StringComparison.Ordinal))
        {
            if (depth > 8 || !parameters.TryGetValue("boundary", out var boundary))
                return null;
            foreach (var part in Parts(body, boundary))
            {
                var message = Parse(part);
                if (FindPart(message._headers, message._body, wanted, depth + 1) is { } found)
                    return found;
            }
            return null;
        }
        if (type != wanted)
            return null;
        var disposition = headers.GetValueOrDefault("Content-Disposition") ?? "";
        if (depth > 0 && disposition.StartsWith("attachment", StringComparison.OrdinalIgnoreCase))
            return null;
        return Decode(body, headers.GetValueOrDefault("Content-Transfer-Encoding"), parameters.GetValueOrDefault("charset"));
    }

    private static IEnumerable<string> Parts(string body, string boundary)
    {
        var delimiter = "--" + boundary;
        var parts = new List<string>();
        StringBuilder? part = null;
        foreach (var line in body.Split('\n'))
        {
            var trimmed = line.TrimEnd();
            if (trimmed == delimiter + "--")
                break;
            if (trimmed == delimiter)
            {
                if (part is not null)
                    parts.Add(part.ToString());
                part = new StringBuilder();
                continue;
            }
            part?.Append(line).Append('\n');
        }
        if (part is not null)
            parts.Add(part.ToString());
        return parts;
    }

    private static (string Type, Dictionary<string, string> Parameters) ContentType(string? header)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(header))
            return ("text/plain", parameters);
        var pieces = header.Split(';');
        foreach (var piece in pieces.Skip(1))
        {
            var equals = piece.IndexOf('=');
            if (equals > 0)
                parameters[piece[..equals].Trim()] = piece[(equals + 1)..].Trim().Trim('"');
        }
        return (pieces[0].Trim().ToLowerInvariant(), parameters);
    }

    private static string Decode(string body, string? transferEncoding, string? charset)
    {
        switch (transferEncoding?.Trim().ToLowerInvariant())
        {
            case "base64":
                try
                {
                    return EncodingNamed(charset).GetString(Convert.FromBase64String(new string(body.Where(c => !char.IsWhiteSpace(c)).ToArray())));
                }
                catch (FormatException)
                {
                    return "";
                }
            case "quoted-printable":
                return EncodingNamed(charset).GetString(QuotedPrintable(body, underscoreIsSpace: false));
            default:
                return body;
        }
    }

    private static byte[] QuotedPrintable(string text, bool underscoreIsSpace)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '=' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;   // soft line break
            }
            else if (c == '=' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c == '_' && underscoreIsSpace)
            {
                bytes.Add((byte)' ');
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        return bytes.ToArray();
    }

    private static string DecodeWords(string header) =>
        EncodedWord().Replace(header, match =>
        {
            var encoding = EncodingNamed(match.Groups["charset"].Value);
            var payload = match.Groups["text"].Value;
            try
            {
                return match.Groups["kind"].Value is "B" or "b"
                    ? encoding.GetString(Convert.FromBase64String(payload))
                    : encoding.GetString(QuotedPrintable(payload, underscoreIsSpace: true));
            }
            catch (FormatException)
            {
                return match.Value;
            }
        });

    /// <summary>The named charset; Latin-1 when it is unknown (the usual mislabel in 2002 mail).</summary>
    private static Encoding EncodingNamed(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
            return Encoding.Latin1;
        try
        {
            return Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(charset) ?? Encoding.Latin1;
        }
    }

    private static string HtmlToText(string html)
    {
        var text = ScriptOrStyle().Replace(html, " ");
        text = LineBreakingTag().Replace(text, "\n");
        text = Tag().Replace(text, "");
        return WebUtility.HtmlDecode(text);
    }

    private static string Tidy(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n').Select(line => line.TrimEnd());
        return ManyBlankLines().Replace(string.Join('\n', lines), "\n\n").Trim();
    }

    [GeneratedRegex(@"<(?<address>[^<>@\s]+@[^<>\s]+)>")]
    private static partial Regex AngleAddress();

    [GeneratedRegex(@"(?<address>[^\s<>()""',;:]+@[^\s<>()""',;:]+)")]
    private static partial Regex BareAddress();

    [GeneratedRegex(@"=\?(?<charset>[^?]+)\?(?<kind>[BbQq])\?(?<text>[^?]*)\?=")]
    private static partial Regex EncodedWord();

    [GeneratedRegex(@"<(script|style)\b.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"<(br|/p|/div|/tr|/li|/h\d)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreakingTag();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ManyBlankLines();
}
