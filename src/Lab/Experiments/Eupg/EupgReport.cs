namespace Pipeline.Lab.Experiments.Eupg;

/// <summary>What `pipeline experiment eupg` found: per data set, each method before and after forgetting.</summary>
public sealed record EupgReport(IReadOnlyDictionary<string, EupgDataSetReport> Datasets, EupgOptions Settings, string Machine, double Seconds);

/// <summary>One data set: its sizes, the attacks' noise floor, and each method's figures (mean ± sd over repeats).</summary>
public sealed record EupgDataSetReport(
    double? MiaNoiseFloor,
    double? MiaNoiseFloorSd,
    int TrainRows,
    int TestRows,
    int ForgottenRows,
    int EncodedFeatures,
    int KAnonymitySmallestGroup,
    IReadOnlyDictionary<string, EupgPhaseFigures> Before,
    IReadOnlyDictionary<string, EupgPhaseFigures> After,
    IReadOnlyDictionary<string, double?> SpeedupOverRetrain);

/// <summary>A method's figures in one phase (learning: before; forgetting: after), mean and sample sd over repeats.</summary>
public sealed record EupgPhaseFigures(
    double? Utility, double? UtilitySd, double? MiaAuc, double? MiaAucSd, double? MiaAdvantage, double? MiaAdvantageSd, double? Seconds, double? SecondsSd);
