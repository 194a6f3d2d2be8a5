using Pipeline.Modelling.Data;
using Pipeline.Modelling.Tabular;
using Pipeline.Modelling.Tests.Support;
using Pipeline.Data.Corpora;

namespace Pipeline.Data.Tests;

public sealed class TabularDataTests
{
    private const string Arff = """
        % a comment
        @relation tiny
        @attribute status { '<0', 'no checking', other}
        @attribute amount numeric
        @attribute 'purpose' { 'new car', radio/tv}
        @attribute class { good, bad}
        @data
        '<0',1169,'new car',good
        'no checking', 2000 ,radio/tv,bad
        other,?,'new car',good
        """;

    [Fact]
    public void Arff_rows_become_json_records_with_numbers_nominal_values_and_missing_ones()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "tiny.arff");
        File.WriteAllText(path, Arff);

        var records = ArffCorpus.Read(path, "tiny").Records;

        Assert.Equal(["tiny-0001", "tiny-0002", "tiny-0003"], records.Select(r => r.Id));
        Assert.Equal(records.Select(r => r.Id), records.Select(r => r.SubjectId));
        Assert.Equal("""{"status":"<0","amount":1169,"purpose":"new car","class":"good"}""", records[0].Text);
        Assert.Equal("""{"status":"other","amount":null,"purpose":"new car","class":"good"}""", records[2].Text);
    }

    [Theory]
    [InlineData("'<0',1169,'new car'", "3 values, but 4 attributes")]
    [InlineData("'<0',lots,'new car',good", "amount is numeric")]
    [InlineData("'<0',1,'old car',good", "\"old car\" is not a declared value of purpose")]
    public void A_bad_arff_row_is_an_error_naming_its_line(string row, string reason)
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "bad.arff");
        File.WriteAllText(path, Arff.Split('\n')[..7].Aggregate((a, b) => a + "\n" + b) + "\n" + row + "\n");

        var error = Assert.Throws<DataFormatException>(() => ArffCorpus.Read(path, "bad"));
        Assert.StartsWith($"{path}:8:", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void The_encoder_standardises_numbers_and_one_hot_encodes_categories_without_the_first()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "tiny.arff");
        File.WriteAllText(path, Arff);
        var table = TabularTable.FromRecords(ArffCorpus.Read(path, "tiny").Records, "class");

        Assert.Equal(["status", "amount", "purpose"], table.Columns.Select(c => c.Name));
        Assert.Equal([ColumnKind.Nominal, ColumnKind.Numeric, ColumnKind.Nominal], table.Columns.Select(c => c.Kind));
        Assert.Equal(["bad", "good"], table.Classes);
        Assert.Equal([1, 0, 1], table.Labels);

        var encoder = TabularEncoder.Fit(table, [0, 1, 2]);
        // amount: mean 1584.5 and population sd 415.5 over the two present values; status drops "<0", purpose drops "new car".
        Assert.Equal(["amount", "status=no checking", "status=other", "purpose=radio/tv"], encoder.FeatureNames);
        var encoded = encoder.Encode(table, [0, 1, 2]);
        Assert.Equal([-1f, 0, 0, 0], encoded.Row(0).ToArray());
        Assert.Equal([1f, 1, 0, 1], encoded.Row(1).ToArray());
        Assert.Equal([0f, 0, 1, 0], encoded.Row(2).ToArray()); // missing amount → the mean
    }

    [Fact]
    public async Task Credit_g_and_breast_cancer_come_through_apt_as_whole_tables()
    {
        // Real apt clients against the machine's mirror (weka is 6.6 MB, python3-sklearn 2.1 MB).
        using var folder = new TemporaryFolder();
        var puller = new CorpusPuller(new CorpusCache(Path.Combine(folder.Path, "corpora")));

        var credit = TabularTable.FromRecords(JsonlDataset.Read((await puller.PullAsync("credit-g")).RecordsPath), "class");
        var cancer = TabularTable.FromRecords(JsonlDataset.Read((await puller.PullAsync("breast-cancer")).RecordsPath), "diagnosis");

        Assert.Equal(1000, credit.Count);
        Assert.Equal(20, credit.Columns.Count);
        Assert.Equal(7, credit.Columns.Count(c => c.Kind == ColumnKind.Numeric));
        Assert.Equal(300, credit.Labels.Count(l => credit.Classes[l] == "bad"));
        Assert.Equal(569, cancer.Count);
        Assert.Equal(30, cancer.Columns.Count);
        Assert.All(cancer.Columns, c => Assert.Equal(ColumnKind.Numeric, c.Kind));
        Assert.Equal(212, cancer.Labels.Count(l => cancer.Classes[l] == "malignant"));
    }
}
