using System.Text.RegularExpressions;

namespace Pipeline.Modelling.Clustering;

/// <summary>
/// The words that tell a cluster's texts apart from all texts, so people can read what a cluster is about.
/// Words are runs of at least three letters, lowercased, minus a short list of English function words. A word w of
/// cluster c scores
/// <code>score_c(w) = (df_c(w) / n_c) · ln(N / df(w))</code>
/// — the share of the cluster's n_c texts that contain w, times w's inverse document frequency over all N texts
/// (TF-IDF with each cluster taken as one document, frequencies counted once per text so one long text repeating a
/// word cannot carry it). A word in every text of the cluster and in no other scores ln(N / n_c); a word in every text
/// scores 0. The top words by score are returned, ties broken by df_c (commoner first) and then alphabetically, so
/// the answer is deterministic. A word must occur in at least <c>minimumTexts</c> of the cluster's texts (2 by
/// default): a word only one text uses — a name, an order number — says nothing about the cluster and, in a
/// governance report, should not name a person.
/// </summary>
public static partial class ClusterTerms
{
    private static readonly HashSet<string> StopWords =
    [
        "the", "and", "for", "that", "with", "this", "from", "are", "was", "were", "been", "being", "have", "has", "had",
        "not", "but", "you", "your", "our", "ours", "they", "them", "their", "its", "his", "her", "hers", "she", "him",
        "who", "whom", "what", "when", "where", "which", "why", "how", "will", "would", "can", "could", "should", "shall",
        "all", "any", "into", "out", "about", "after", "before", "than", "then", "there", "here", "these", "those", "also",
        "just", "only", "over", "such", "very", "more", "most", "some", "each", "other", "does", "did", "doing", "because",
        "while", "onto", "upon", "per", "via", "yes",
    ];

    /// <summary>For each cluster 0..k-1, its top <paramref name="count"/> words (fewer when it has fewer qualifying words).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> TopTerms(IReadOnlyList<string> texts, IReadOnlyList<int> assignments, int k,
        int count = 5, int minimumTexts = 2)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(assignments);
        if (texts.Count != assignments.Count)
            throw new ArgumentException($"{texts.Count} texts but {assignments.Count} assignments");
        if (k < 1) throw new ArgumentException("k must be at least 1", nameof(k));
        if (count < 1) throw new ArgumentException("count must be at least 1", nameof(count));
        if (assignments.Any(a => a < 0 || a >= k))
            throw new ArgumentException($"assignments must lie within 0..{k - 1}", nameof(assignments));

        var wordsOf = texts.Select(Words).ToList();
        var documentFrequency = Frequencies(wordsOf);
        var terms = new List<IReadOnlyList<string>>();
        for (var cluster = 0; cluster < k; cluster++)
        {
            var members = wordsOf.Where((_, i) => assignments[i] == cluster).ToList();
            var inCluster = Frequencies(members);
            double total = texts.Count, size = members.Count;
            terms.Add(inCluster
                .Where(w => w.Value >= minimumTexts)
                .Select(w => (Word: w.Key, InCluster: w.Value, Score: w.Value / size * Math.Log(total / documentFrequency[w.Key])))
                .OrderByDescending(w => w.Score).ThenByDescending(w => w.InCluster).ThenBy(w => w.Word, StringComparer.Ordinal)
                .Take(count).Select(w => w.Word).ToList());
        }
        return terms;
    }

    /// <summary>The distinct qualifying words of one text.</summary>
    public static IReadOnlySet<string> Words(string text) =>
        WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).Where(w => !StopWords.Contains(w)).ToHashSet(StringComparer.Ordinal);

    /// <summary>In how many of the texts each word occurs.</summary>
    private static Dictionary<string, int> Frequencies(IEnumerable<IReadOnlySet<string>> texts)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var words in texts)
            foreach (var word in words)
                counts[word] = counts.GetValueOrDefault(word) + 1;
        return counts;
    }

    [GeneratedRegex(@"\p{L}{3,}")]
    private static partial Regex WordPattern();
}
