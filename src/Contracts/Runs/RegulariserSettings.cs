namespace Pipeline.Contracts.Runs;

/// <summary>The regularisers' settings a run trains with (FineTune:RegulariserN, RegulariserTau, GoldfishK, GoldfishH).</summary>
public sealed record RegulariserSettings(int N = 4, double Tau = 1.0, int GoldfishK = 4, int GoldfishH = 13);
