using Pipeline.Modelling.Data;
using Pipeline.Modelling.Tests.Support;
using Pipeline.Data.Corpora;

namespace Pipeline.Data.Tests;

/// <summary>The parsers on small local folders laid out as the real packages are (looked at by hand: see the README's data notes).</summary>
public sealed class CorpusParserTests
{
    [Fact]
    public void Fortunes_are_the_entries_between_percent_lines_with_overstriking_removed()
    {
        using var folder = new TemporaryFolder();
        var fortunes = Directory.CreateDirectory(Path.Combine(folder.Path, "usr", "share", "games", "fortunes")).FullName;
        File.WriteAllText(Path.Combine(fortunes, "riddles"), "Q: Why?\nA:\tBecause.\n%\n_\bb_\bo_\bl_\bd move\n%\n\n%\nlast one\n%\n");
        File.WriteAllBytes(Path.Combine(fortunes, "riddles.dat"), [0, 1, 2]);
        File.CreateSymbolicLink(Path.Combine(fortunes, "riddles.u8"), "riddles");

        var parsed = FortuneCorpus.Read(folder.Path);

        Assert.Equal(
            [TextRecord.Plain("riddles-0001", "riddles", "Q: Why?\nA:\tBecause."), TextRecord.Plain("riddles-0002", "riddles", "bold move"),
             TextRecord.Plain("riddles-0003", "riddles", "last one")],
            parsed.Records);
        Assert.Equal(1, parsed.Skipped["empty entry"]);
    }

    [Theory]
    [InlineData("*__\b\bUN*lucky", "*UN*lucky")]   // underlined, as in Debian's fortunes file
    [InlineData("fl'\bechettes", "flechettes")]      // an accent struck over a letter
    [InlineData("A\b_ and B\bB", "A and B")]          // underline after the letter; bold
    public void Overstriking_keeps_the_letters(string printed, string expected)
    {
        Assert.Equal(expected, FortuneCorpus.WithoutOverstriking(printed));
    }

    [Fact]
    public void Moby_dick_becomes_paragraph_records_whose_subject_is_the_section()
    {
        using var folder = new TemporaryFolder();
        var data = Directory.CreateDirectory(Path.Combine(folder.Path, "package", "data")).FullName;
        File.WriteAllText(Path.Combine(data, "etymology.json"), """{"chapter":"Etymology","title":"","text":"ETYMOLOGY.\n\nWhale."}""");
        File.WriteAllText(Path.Combine(data, "extracts.json"), """{"chapter":"Extracts","title":"","text":"EXTRACTS."}""");
        File.WriteAllText(Path.Combine(data, "chapter_10.json"), """{"chapter":"10","title":"A Bosom Friend.","text":"Returning.\n\n \n\nQueequeg."}""");
        File.WriteAllText(Path.Combine(data, "chapter_2.json"), """{"chapter":"2","title":"The Carpet-Bag.","text":"I stuffed a shirt\nor two."}""");
        File.WriteAllText(Path.Combine(data, "epilogue.json"), """{"chapter":"Epilogue","title":"","text":"The drama's done."}""");
        File.WriteAllText(Path.Combine(data, "contents.json"), """{"chapter":"Contents","title":"","text":"CONTENTS"}""");

        var records = MobyDickCorpus.Read(folder.Path).Records;

        Assert.Equal(["etymology-p001", "etymology-p002", "extracts-p001", "chapter-002-p001", "chapter-010-p001", "chapter-010-p002", "epilogue-p001"],
            records.Select(r => r.Id));
        Assert.Equal("chapter-010", records[5].SubjectId);
        Assert.Equal("I stuffed a shirt\nor two.", records[3].Text);
    }

    [Fact]
    public void Sotu_makes_one_record_per_address_owned_by_the_president()
    {
        using var folder = new TemporaryFolder();
        var data = Directory.CreateDirectory(Path.Combine(folder.Path, "package", "data")).FullName;
        File.WriteAllText(Path.Combine(data, "1790_george_washington_n.json"), """{"year":1790,"name":"George Washington","party":"none","text":"Fellow-Citizens "}""");
        File.WriteAllText(Path.Combine(data, "1790_george_washington_n.txt"), "Fellow-Citizens");

        Assert.Equal([TextRecord.Plain("1790_george_washington_n", "George Washington", "Fellow-Citizens")], SotuCorpus.Read(folder.Path).Records);
    }

    [Fact]
    public void Spam_assassin_keeps_ham_with_the_sender_as_subject_and_drops_spam()
    {
        using var folder = new TemporaryFolder();
        var data = Path.Combine(folder.Path, "package", "data");
        var ham = Directory.CreateDirectory(Path.Combine(data, "easy-ham-1")).FullName;
        var spam = Directory.CreateDirectory(Path.Combine(data, "spam-1")).FullName;
        WriteMessage(ham, "00001", "From kre@munnari.OZ.AU  Thu Aug 22 12:36:23 2002\nReceived: from x\n    by y\nFrom: Robert Elz <KRE@munnari.OZ.AU>\nSubject: Re: New Sequences\n  Window\n\nDate: not a header\n\nbody line\n");
        WriteMessage(ham, "00002", "From: nobody\nSubject: no address\n\ntext\n");
        WriteMessage(spam, "00001", "From: win@prize.example\nSubject: WIN\n\nbuy now\n");

        var parsed = SpamAssassinCorpus.Read(folder.Path);

        var record = Assert.Single(parsed.Records);
        Assert.Equal(TextRecord.Plain("easy-ham-1/00001", "kre@munnari.oz.au", "Subject: Re: New Sequences Window\n\nDate: not a header\n\nbody line"), record);
        Assert.Equal(1, parsed.Skipped["spam (dropped by design)"]);
        Assert.Equal(1, parsed.Skipped["no sender address"]);
    }

    private static void WriteMessage(string group, string id, string raw) =>
        File.WriteAllText(Path.Combine(group, $"{id}.abc.json"), System.Text.Json.JsonSerializer.Serialize(new { id, group = Path.GetFileName(group), text = raw }));
}
