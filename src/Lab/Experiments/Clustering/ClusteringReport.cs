namespace Pipeline.Lab.Experiments.Clustering;

/// <summary>What `pipeline experiment clustering` found, per data set and method (mean ± sd over seeds), with the papers' figures.</summary>
public sealed record ClusteringReport(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, ClusteringMethodFigures>> Datasets,
    IReadOnlyDictionary<string, ClusteringPretraining> Pretraining,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, bool?>> Targets,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, PublishedClusteringFigures.Figure>> Published,
    ClusteringExperimentOptions Settings,
    string Machine,
    double Seconds);

/// <summary>One method on one data set: ACC, NMI, ARI and seconds, mean and sample sd over the seeds, and each seed's run.</summary>
public sealed record ClusteringMethodFigures(
    double? Acc, double? AccSd, double? Nmi, double? NmiSd, double? Ari, double? AriSd, double? Seconds, double? SecondsSd,
    IReadOnlyList<int> Epochs, IReadOnlyList<ClusteringSeedRun> Runs);

/// <summary>One seed's run of a method.</summary>
public sealed record ClusteringSeedRun(int Seed, double Acc, double Nmi, double Ari, double Seconds, int Epochs);

/// <summary>The autoencoder's reconstruction pretraining on one data set, shared by every method of a seed.</summary>
public sealed record ClusteringPretraining(int Images, int Epochs, double? Seconds, double? SecondsSd, double? Reconstruction, double? ReconstructionSd);
