using Pipeline.Data;
using Pipeline.Data.Corpora;

namespace Pipeline.Data.Tests;

public sealed class MailMessageTests
{
    [Theory]
    [InlineData("Robert Elz <kre@munnari.OZ.AU>", "kre@munnari.oz.au")]
    [InlineData("kre@munnari.oz.au (Robert Elz)", "kre@munnari.oz.au")]
    [InlineData("\"Elz, Robert\" <kre@munnari.oz.au>", "kre@munnari.oz.au")]
    [InlineData("undisclosed", null)]
    public void The_sender_address_is_found_in_the_usual_from_forms(string from, string? address)
    {
        Assert.Equal(address, MailMessage.Parse($"From: {from}\n\nbody").FromAddress);
    }

    [Fact]
    public void A_multipart_message_gives_its_plain_part_decoded_from_base64_in_its_charset()
    {
        var plain = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("Grüße aus Köln\n"));
        var raw = "From: a@b.c\nSubject: =?iso-8859-1?Q?Gr=FC=DFe?=\nContent-Type: multipart/alternative; boundary=\"XYZ\"\n\npreamble\n--XYZ\n" +
                  "Content-Type: text/html\n\n<p>html</p>\n--XYZ\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" +
                  plain + "\n--XYZ--\nepilogue\n";
        var message = MailMessage.Parse(raw);
        Assert.Equal("Grüße", message.Subject);
        Assert.Equal("Grüße aus Köln", message.BodyText());
    }

    [Fact]
    public void An_html_only_quoted_printable_body_becomes_text()
    {
        var raw = "From: a@b.c\nContent-Type: text/html; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n" +
                  "<html><style>p{}</style><p>Caf=E9 &amp; bar</p><br>next=\n line</html>\n";
        Assert.Equal("Café & bar\n\nnext line", MailMessage.Parse(raw).BodyText());
    }
}
