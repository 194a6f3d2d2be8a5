using Pipeline.Modelling.Clustering;

namespace Pipeline.Modelling.Tests.Clustering;

public sealed class ClusterTermsTests
{
    private static readonly string[] Texts =
    [
        "The refund for my order never came; I want the refund now.",
        "Where is the refund for the order I cancelled?",
        "A refund was promised when the order was returned.",
        "The printer jams when the paper tray is full.",
        "Paper in the printer tears on every page.",
        "The printer prints blank paper.",
    ];

    private static readonly int[] Assignments = [0, 0, 0, 1, 1, 1];

    [Fact]
    public void Each_cluster_is_named_by_the_words_its_texts_share_and_the_others_lack()
    {
        var terms = ClusterTerms.TopTerms(Texts, Assignments, k: 2, count: 2);

        Assert.Equal(["order", "refund"], terms[0]); // in all three texts of cluster 1, none of cluster 2: equal scores, alphabetical
        Assert.Equal(["paper", "printer"], terms[1]);
    }

    [Fact]
    public void Words_every_text_uses_rank_below_words_that_set_the_cluster_apart()
    {
        // "ticket" is in every text: it cannot tell the clusters apart, so it comes after the distinctive words.
        string[] texts = ["ticket refund order", "ticket refund order", "ticket printer paper", "ticket printer paper"];

        var terms = ClusterTerms.TopTerms(texts, [0, 0, 1, 1], k: 2, count: 3);

        Assert.Equal(["order", "refund", "ticket"], terms[0]);
        Assert.Equal(["paper", "printer", "ticket"], terms[1]);
    }

    [Fact]
    public void Stop_words_short_words_digits_and_words_of_a_single_text_never_name_a_cluster()
    {
        // "Jane" is in one text only; "the", "is", "42" are a stop word, a short word and a number.
        string[] texts = ["The order is 42 for Jane", "the order is 42", "the order is late"];

        var terms = ClusterTerms.TopTerms(texts, [0, 0, 0], k: 1);

        Assert.Equal(["order"], terms[0]);
    }

    [Fact]
    public void Words_are_lowercased_and_counted_once_per_text()
    {
        // Cluster 1 repeats "printer" in one text: counted once per text it ties with "paper", and the tie goes alphabetically.
        string[] texts = ["Printer printer PRINTER printer paper", "printer paper", "refund order", "refund order"];

        var terms = ClusterTerms.TopTerms(texts, [0, 0, 1, 1], k: 2);

        Assert.Equal(["paper", "printer"], terms[0]);
        Assert.DoesNotContain("Printer", terms[0]);
    }

    [Fact]
    public void Assignments_outside_the_clusters_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ClusterTerms.TopTerms(["a text"], [2], k: 2));
        Assert.Throws<ArgumentException>(() => ClusterTerms.TopTerms(["a text", "another"], [0], k: 1));
    }
}
