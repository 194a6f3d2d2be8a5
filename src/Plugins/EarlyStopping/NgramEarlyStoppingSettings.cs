using Pipeline.Modelling.Memorisation;

namespace Pipeline.Plugins.EarlyStopping;

/// <summary>Plugins:Settings:ngram-early-stopping: the n-gram rule's parameters (defaults: <see cref="NgramEarlyStoppingRule.Default"/>).</summary>
public sealed class NgramEarlyStoppingSettings
{
    public double Delta { get; set; } = NgramEarlyStoppingRule.Default.Delta;
    public double Threshold { get; set; } = NgramEarlyStoppingRule.Default.Threshold;
    public int Patience { get; set; } = NgramEarlyStoppingRule.Default.Patience;
}
