namespace Pipeline.Modelling.Unlearning;

/// <summary>One attack's result: AUC and attacker advantage, members being the positives.</summary>
public sealed record AttackResult(string Attack, double Auc, double Advantage);

/// <summary>The three attacks on one member/non-member pair of samples, and the strongest of them.</summary>
public sealed record MembershipInferenceResult(IReadOnlyList<AttackResult> Attacks)
{
    public double MaxAuc => Attacks.Max(a => a.Auc);

    public double MaxAdvantage => Attacks.Max(a => a.Advantage);
}

/// <summary>
/// Membership inference against a classifier, as the EUPG code runs it (TensorFlow Privacy's attacks, the three the
/// issue names): a loss threshold (lower loss ⇒ member), an entropy threshold (more confident ⇒ member) and logistic
/// regression on (logits, loss). The regression is scored out of fold: stratified k-fold cross-validation (5 folds,
/// seeded), every row's membership probability coming from the model fitted without it, and the AUC taken over all
/// rows. The reported figures are the maximum AUC and maximum advantage over the attacks, as the paper reports them.
/// </summary>
public static class MembershipAttacks
{
    public const int Folds = 5;

    public static MembershipInferenceResult Run(ClassifierOutputs members, ClassifierOutputs nonMembers, int seed)
    {
        if (members.Rows < 2 || nonMembers.Rows < 2) throw new ArgumentException("each side needs at least two rows");
        var results = new List<AttackResult>();
        void Add(string name, IReadOnlyList<double> memberScores, IReadOnlyList<double> nonMemberScores) =>
            results.Add(new AttackResult(name, RocCurve.Auc(memberScores, nonMemberScores), RocCurve.Advantage(memberScores, nonMemberScores)));

        Add("loss_threshold", Scores(members, r => -members.Loss(r)), Scores(nonMembers, r => -nonMembers.Loss(r)));
        Add("entropy_threshold", Scores(members, r => -members.Entropy(r)), Scores(nonMembers, r => -nonMembers.Entropy(r)));
        var (memberProbabilities, nonMemberProbabilities) = LogisticScores(members, nonMembers, seed);
        Add("logistic_regression", memberProbabilities, nonMemberProbabilities);
        return new MembershipInferenceResult(results);
    }

    private static double[] Scores(ClassifierOutputs outputs, Func<int, double> score) => Enumerable.Range(0, outputs.Rows).Select(score).ToArray();

    private static double[] AttackFeatures(ClassifierOutputs outputs, int row) =>
        [.. outputs.Logits.AsSpan(row * outputs.Classes, outputs.Classes).ToArray().Select(v => (double)v), outputs.Loss(row)];

    private static (double[] Members, double[] NonMembers) LogisticScores(ClassifierOutputs members, ClassifierOutputs nonMembers, int seed)
    {
        var rows = Enumerable.Range(0, members.Rows).Select(r => (Member: true, Features: AttackFeatures(members, r)))
            .Concat(Enumerable.Range(0, nonMembers.Rows).Select(r => (Member: false, Features: AttackFeatures(nonMembers, r)))).ToArray();
        var fold = StratifiedFolds(rows.Select(r => r.Member).ToArray(), Math.Min(Folds, Math.Min(members.Rows, nonMembers.Rows)), seed);
        var probability = new double[rows.Length];
        for (var f = 0; f < fold.Max() + 1; f++)
        {
            var training = Enumerable.Range(0, rows.Length).Where(i => fold[i] != f).ToArray();
            var model = LogisticRegression.Fit(training.Select(i => rows[i].Features).ToArray(), training.Select(i => rows[i].Member).ToArray());
            for (var i = 0; i < rows.Length; i++)
                if (fold[i] == f) probability[i] = model.Probability(rows[i].Features);
        }
        return (probability[..members.Rows], probability[members.Rows..]);
    }

    /// <summary>Fold of each row: members and non-members each shuffled (seeded) and dealt round-robin into the folds.</summary>
    internal static int[] StratifiedFolds(bool[] member, int folds, int seed)
    {
        var random = new Random(seed);
        var fold = new int[member.Length];
        foreach (var side in new[] { true, false })
        {
            var indexes = Enumerable.Range(0, member.Length).Where(i => member[i] == side).ToArray();
            random.Shuffle(indexes);
            for (var i = 0; i < indexes.Length; i++) fold[indexes[i]] = i % folds;
        }
        return fold;
    }
}
