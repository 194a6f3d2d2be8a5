using Pipeline.Modelling.Clustering;

namespace Pipeline.Modelling.Tests.Clustering;

public sealed class ClusteringScoresTests
{
    [Fact]
    public void A_relabelled_perfect_clustering_scores_one_on_every_measure()
    {
        int[] classes = [0, 0, 1, 1, 2, 2];
        int[] clusters = [2, 2, 0, 0, 1, 1];
        Assert.Equal(1.0, ClusteringScores.Accuracy(classes, clusters), 10);
        Assert.Equal(1.0, ClusteringScores.NormalisedMutualInformation(classes, clusters), 10);
        Assert.Equal(1.0, ClusteringScores.AdjustedRandIndex(classes, clusters), 10);
    }

    [Fact]
    public void A_split_class_scores_what_the_formulas_give_by_hand()
    {
        // Classes {0,0,0 | 1,1,1}, clusters {0,0 | 1,1 | 2,2}: the contingency rows are (2,1,0) and (0,1,2).
        int[] classes = [0, 0, 0, 1, 1, 1];
        int[] clusters = [0, 0, 1, 1, 2, 2];
        // ACC: cluster 0 → class 0 and cluster 2 → class 1 match 4 of 6.
        Assert.Equal(4.0 / 6, ClusteringScores.Accuracy(classes, clusters), 10);
        // NMI: MI = ⅔ ln 2; H(classes) = ln 2, H(clusters) = ln 3; MI / ((ln 2 + ln 3) / 2).
        Assert.Equal(2.0 / 3 * Math.Log(2) / ((Math.Log(2) + Math.Log(3)) / 2), ClusteringScores.NormalisedMutualInformation(classes, clusters), 10);
        // ARI: Σ C(n_ij, 2) = 2, rows 3 + 3 = 6, columns 1 + 1 + 1 = 3, C(6, 2) = 15: (2 − 6·3/15) / ((6 + 3)/2 − 6·3/15).
        Assert.Equal((2 - 1.2) / (4.5 - 1.2), ClusteringScores.AdjustedRandIndex(classes, clusters), 10);
    }

    [Fact]
    public void Hungarian_matching_finds_the_cheapest_assignment_where_greedy_choice_does_not()
    {
        // Greedy (row 0 takes its cheapest, column 0) costs 1 + 7 + 2 = 10; the optimum is 2 + 3 + 2 = 7.
        long[,] cost = { { 1, 2, 9 }, { 3, 7, 8 }, { 9, 4, 2 } };
        var assignment = HungarianAssignment.Solve(cost);
        Assert.Equal([1, 0, 2], assignment);
    }
}
