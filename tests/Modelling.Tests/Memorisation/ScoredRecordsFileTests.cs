using System.Text;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Memorisation;
using Pipeline.Modelling.Tests.Support;

namespace Pipeline.Modelling.Tests.Memorisation;

public sealed class ScoredRecordsFileTests
{
    [Fact]
    public void Scored_records_round_trip_exactly_through_jsonl()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File(MemorisationScorer.RecordsFileName);
        ScoredRecord[] records =
        [
            new("r-1", "s-1", MemorisationSide.Trained, true, 1.0, 1.0, 32, 32),
            // Doubles without a short decimal form, and text that needs escaping.
            new("r-\"2\"", "Zoë Ångström", MemorisationSide.HeldOut, false, 1.0 / 3.0, 0.1 + 0.2, 20, 7),
        ];

        MemorisationScorer.WriteRecords(path, records);

        Assert.Equal(records, MemorisationScorer.ReadRecords(path));
    }

    [Fact]
    public void Each_line_is_one_record_with_snake_case_keys()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("scores.jsonl");

        MemorisationScorer.WriteRecords(path, [new ScoredRecord("r-1", "s-1", "trained", false, 0.75, 0.5, 32, 16)]);

        Assert.Equal(
            "{\"id\":\"r-1\",\"subject_id\":\"s-1\",\"side\":\"trained\",\"verbatim\":false,\"token_match\":0.75," +
            "\"ngram_score\":0.5,\"prefix_length\":32,\"target_length\":16}\n",
            File.ReadAllText(path, Encoding.UTF8));
    }

    [Fact]
    public void A_failure_while_writing_leaves_the_earlier_file_untouched()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("scores.jsonl");
        File.WriteAllText(path, "earlier\n");

        static IEnumerable<ScoredRecord> FailingHalfway()
        {
            yield return new ScoredRecord("r-1", "s-1", "trained", true, 1, 1, 32, 32);
            throw new IOException("disk gone");
        }

        Assert.Throws<IOException>(() => MemorisationScorer.WriteRecords(path, FailingHalfway()));
        Assert.Equal("earlier\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void A_line_that_is_not_a_scored_record_is_reported_with_its_line_number()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("scores.jsonl");
        File.WriteAllText(path,
            "{\"id\":\"r-1\",\"subject_id\":\"s-1\",\"side\":\"trained\",\"verbatim\":true,\"token_match\":1,\"ngram_score\":1,\"prefix_length\":32,\"target_length\":32}\n" +
            "\n" +
            "{\"id\":\"r-2\",\"subject_id\":\"s-1\"}\n");

        var error = Assert.Throws<DataFormatException>(() => MemorisationScorer.ReadRecords(path));

        Assert.StartsWith($"{path}:3: not a scored record", error.Message);
    }
}
