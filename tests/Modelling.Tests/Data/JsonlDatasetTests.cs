using Pipeline.Modelling.Data;
using Pipeline.Modelling.Tests.Support;

namespace Pipeline.Modelling.Tests.Data;

public sealed class JsonlDatasetTests
{
    [Fact]
    public void Both_record_forms_round_trip_through_write_and_read()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("data.jsonl");
        TextRecord[] records =
        [
            TextRecord.Plain("a", "alice@example.org", "Grüße\nzweite Zeile \"quoted\" 🙂"),
            TextRecord.Pair("b", "bob", "What is 2+2?", " 4"),
        ];

        JsonlDataset.Write(path, records);

        Assert.Equal(records, JsonlDataset.Read(path));
        Assert.Equal(2, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void Blank_lines_are_skipped_and_unknown_fields_ignored()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("data.jsonl");
        File.WriteAllText(path, "\n{\"id\":\"1\",\"subject_id\":\"s\",\"text\":\"x\",\"source\":\"web\"}\n\n");
        Assert.Equal([TextRecord.Plain("1", "s", "x")], JsonlDataset.Read(path));
    }

    [Theory]
    [InlineData("{\"id\":\"3\",\"subject_id\":\"s\",\"text\":", "not valid JSON")]
    [InlineData("{\"subject_id\":\"s\",\"text\":\"x\"}", "missing id")]
    [InlineData("{\"id\":\"3\",\"text\":\"x\"}", "missing subject_id")]
    [InlineData("{\"id\":\"3\",\"subject_id\":\"s\"}", "needs text, or prompt and response")]
    [InlineData("{\"id\":\"3\",\"subject_id\":\"s\",\"prompt\":\"p\"}", "needs text, or prompt and response")]
    [InlineData("{\"id\":\"3\",\"subject_id\":\"s\",\"text\":\"x\",\"prompt\":\"p\",\"response\":\"r\"}", "has both text and prompt/response")]
    [InlineData("{\"id\":3,\"subject_id\":\"s\",\"text\":\"x\"}", "id must be a string")]
    [InlineData("[1,2]", "expected a JSON object")]
    [InlineData("{\"id\":\"1\",\"subject_id\":\"s\",\"text\":\"again\"}", "duplicate id \"1\" (first on line 1)")]
    public void A_bad_line_is_reported_as_path_line_reason(string badLine, string reason)
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("data.jsonl");
        File.WriteAllLines(path, ["{\"id\":\"1\",\"subject_id\":\"s\",\"text\":\"x\"}", "{\"id\":\"2\",\"subject_id\":\"s\",\"prompt\":\"p\",\"response\":\"r\"}", badLine]);

        var error = Assert.Throws<DataFormatException>(() => JsonlDataset.Read(path));

        Assert.StartsWith($"{path}:3: ", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_write_that_fails_part_way_leaves_the_previous_file_and_no_partial_file()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("data.jsonl");
        JsonlDataset.Write(path, [TextRecord.Plain("old", "s", "previous content")]);
        var before = File.ReadAllText(path);

        IEnumerable<TextRecord> FailingAfterOne()
        {
            yield return TextRecord.Plain("new", "s", "new content");
            throw new IOException("disk on fire");
        }

        Assert.Throws<IOException>(() => JsonlDataset.Write(path, FailingAfterOne()));
        Assert.Equal(before, File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Writing_an_invalid_record_fails_and_creates_no_file()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("data.jsonl");
        Assert.Throws<ArgumentException>(() => JsonlDataset.Write(path, [new TextRecord("x", "s", null, "prompt only", null)]));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}
