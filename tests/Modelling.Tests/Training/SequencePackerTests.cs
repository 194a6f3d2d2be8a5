using Pipeline.Modelling.Training;

namespace Pipeline.Modelling.Tests.Training;

public sealed class SequencePackerTests
{
    [Fact]
    public void Short_sequences_share_rows_and_targets_never_cross_a_sequence_boundary()
    {
        var rows = SequencePacker.Pack([[1, 2, 3], [4, 5], [6, 7, 8, 9]], contextLength: 6);

        Assert.Equal(2, rows.Rows);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 0, 6, 7, 8, 9, 0, 0 }, rows.Inputs);
        Assert.Equal(new long[] { 2, 3, 0, 5, 0, 0, 7, 8, 9, 0, 0, 0 }, rows.Targets);
        Assert.Equal(new float[] { 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0 }, rows.Mask);
    }

    [Fact]
    public void A_long_sequence_is_cut_into_pieces_whose_last_target_is_the_next_pieces_first_token()
    {
        var rows = SequencePacker.Pack([[1, 2, 3, 4, 5, 6, 7], [8]], contextLength: 3);

        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6, 7, 0, 0 }, rows.Inputs);
        Assert.Equal(new long[] { 2, 3, 4, 5, 6, 7, 0, 0, 0 }, rows.Targets);
        Assert.Equal(6, rows.TargetTokens(0, rows.Rows)); // every token but the first is predicted once; [8] alone predicts nothing
    }
}
