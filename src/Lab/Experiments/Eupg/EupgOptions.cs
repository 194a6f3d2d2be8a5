using Pipeline.Modelling.Unlearning;

namespace Pipeline.Lab.Experiments.Eupg;

/// <summary>A tabular data set of the experiment: the corpus it is pulled as and its label column.</summary>
public sealed record TabularDataSet(string Name, string LabelColumn)
{
    public static readonly IReadOnlyList<TabularDataSet> Known =
    [
        new("credit-g", "class"),
        new("breast-cancer", "diagnosis"),
    ];
}

/// <summary>
/// `pipeline experiment eupg` settings; defaults are the (k = 10, ε = 0.5, forget 5%, 3 repeats, seed 7) and
/// the EUPG code's (100 training epochs, 5 fine-tuning epochs, Adam 1e-2, batch 512, hidden 128, 5 × 10 SISA).
/// </summary>
public sealed record EupgOptions
{
    public IReadOnlyList<string> DataSets { get; init; } = TabularDataSet.Known.Select(d => d.Name).ToList();

    public int K { get; init; } = 10;

    public double Epsilon { get; init; } = 0.5;

    public double ForgetFraction { get; init; } = 0.05;

    public double TestFraction { get; init; } = 0.2;

    public int Repeats { get; init; } = 3;

    public int Seed { get; init; } = 7;

    public int Epochs { get; init; } = 100;

    public int FineTuneEpochs { get; init; } = 5;

    public int SisaShards { get; init; } = 5;

    public int SisaSlices { get; init; } = 10;

    /// <summary>Pairs of disjoint non-member samples per repeat for the attacks' noise floor.</summary>
    public int NoiseFloorDraws { get; init; } = 10;

    public int BatchSize { get; init; } = 512;

    public UnlearningBudget Budget => new(Epochs, FineTuneEpochs) { Training = new Pipeline.Modelling.Tabular.TabularTrainingOptions(BatchSize: BatchSize) };

    public void Validate()
    {
        foreach (var name in DataSets)
            if (TabularDataSet.Known.All(d => d.Name != name))
                throw new ArgumentException($"unknown tabular data set \"{name}\" (known: {string.Join(", ", TabularDataSet.Known.Select(d => d.Name))})");
        if (K < 2) throw new ArgumentException("k must be at least 2");
        if (!(Epsilon > 0) || double.IsInfinity(Epsilon)) throw new ArgumentException("ε must be positive and finite");
        if (!(ForgetFraction > 0 && ForgetFraction < 0.5)) throw new ArgumentException("the forget fraction must be in (0, 0.5)");
        if (!(TestFraction > 0 && TestFraction < 0.9)) throw new ArgumentException("the test fraction must be in (0, 0.9)");
        if (Repeats < 1) throw new ArgumentException("at least one repeat");
        if (NoiseFloorDraws < 1) throw new ArgumentException("at least one noise-floor draw");
        if (SisaShards < 1 || SisaSlices < 1) throw new ArgumentException("SISA needs at least one shard and one slice");
        if (BatchSize < 2) throw new ArgumentException("the batch size must be at least 2 (batch norm)");
        Budget.Validate();
    }
}
