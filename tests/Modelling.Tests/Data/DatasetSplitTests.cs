using Pipeline.Modelling.Data;

namespace Pipeline.Modelling.Tests.Data;

public sealed class DatasetSplitTests
{
    private static List<TextRecord> Records(int count, int subjects = 50) =>
        Enumerable.Range(0, count).Select(i => TextRecord.Plain($"r{i}", $"s{i % subjects}", $"text {i}")).ToList();

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_a_different_one()
    {
        var records = Records(500);
        var first = DatasetSplit.Split(records, 0.2, seed: 7);
        var again = DatasetSplit.Split(records, 0.2, seed: 7);
        var other = DatasetSplit.Split(records, 0.2, seed: 8);

        Assert.Equal(first.Validation, again.Validation);
        Assert.Equal(first.Train, again.Train);
        Assert.NotEqual(first.Validation.Select(r => r.Id), other.Validation.Select(r => r.Id));
        Assert.Equal(500, first.Train.Count + first.Validation.Count);
        Assert.InRange(first.Validation.Count, 60, 140);   // about 20 %, not exactly
    }

    [Fact]
    public void Adding_a_record_moves_no_other_record_and_order_does_not_matter()
    {
        var records = Records(300);
        var before = DatasetSplit.Split(records, 0.25, seed: 1);
        var grown = records.Append(TextRecord.Plain("new", "s-new", "new text")).Reverse().ToList();
        var after = DatasetSplit.Split(grown, 0.25, seed: 1);

        var validationAfter = after.Validation.Select(r => r.Id).ToHashSet();
        Assert.All(before.Validation, r => Assert.Contains(r.Id, validationAfter));
        Assert.All(before.Train, r => Assert.DoesNotContain(r.Id, validationAfter));
    }

    [Fact]
    public void Keeping_subjects_together_puts_each_subject_on_one_side()
    {
        var split = DatasetSplit.Split(Records(400, subjects: 40), 0.3, seed: 3, keepSubjectsTogether: true);
        var trainSubjects = split.Train.Select(r => r.SubjectId).ToHashSet();
        Assert.NotEmpty(split.Validation);
        Assert.All(split.Validation, r => Assert.DoesNotContain(r.SubjectId, trainSubjects));
    }

    [Fact]
    public void A_tiny_data_set_still_gets_a_validation_record()
    {
        var split = DatasetSplit.Split(Records(3), 0.01, seed: 0);
        Assert.Single(split.Validation);
        Assert.Equal(2, split.Train.Count);
    }

    [Fact]
    public void Memorisation_samples_are_seeded_equal_sized_and_from_the_right_sides()
    {
        var split = DatasetSplit.Split(Records(200), 0.2, seed: 5);
        var sample = DatasetSplit.SampleForMemorisation(split, perSide: 10, seed: 9);
        var again = DatasetSplit.SampleForMemorisation(split, perSide: 10, seed: 9);

        Assert.Equal(10, sample.Trained.Count);
        Assert.Equal(10, sample.HeldOut.Count);
        Assert.All(sample.Trained, r => Assert.Contains(r, split.Train));
        Assert.All(sample.HeldOut, r => Assert.Contains(r, split.Validation));
        Assert.Equal(sample.Trained, again.Trained);
        Assert.NotEqual(sample.Trained, DatasetSplit.SampleForMemorisation(split, 10, seed: 10).Trained);
    }
}
