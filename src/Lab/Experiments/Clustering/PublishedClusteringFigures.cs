namespace Pipeline.Lab.Experiments.Clustering;

/// <summary>
/// The baselines' figures as their papers report them, printed beside ours for reference only: the papers use all
/// 70,000 MNIST digits, their own pretraining (DEC's layer-wise stage) and budgets, so they are not our runs' targets.
/// Neither the DCN nor the Deep K-Means paper reports Fashion-MNIST.
/// </summary>
public static class PublishedClusteringFigures
{
    public sealed record Figure(double Acc, double Nmi, double? Ari, string Source);

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, Figure>> All { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, Figure>>
        {
            ["mnist"] = new Dictionary<string, Figure>
            {
                ["ae_kmeans"] = new(0.808, 0.752, null, "Fard et al. 2020 (Deep k-Means): AE-KMeans, MNIST-70k"),
                ["dcn"] = new(0.83, 0.81, 0.75, "Yang et al. 2017 (DCN): MNIST-70k"),
                ["dkm"] = new(0.840, 0.796, null, "Fard et al. 2020 (Deep k-Means): DKM_a, MNIST-70k"),
            },
            ["fashion-mnist"] = new Dictionary<string, Figure>(),
        };
}
