using Pipeline.Modelling.Memorisation;

namespace Pipeline.Plugins.Regularisation;

/// <summary>Plugins:Settings:lambda-tuning: the λ-tuning rule's parameters (defaults: <see cref="LambdaTuningRule.Default"/>).</summary>
public sealed class LambdaTuningSettings
{
    public double Initial { get; set; } = LambdaTuningRule.Default.Initial;
    public double Factor { get; set; } = LambdaTuningRule.Default.Factor;
    public double Tolerance { get; set; } = LambdaTuningRule.Default.Tolerance;
    public double Minimum { get; set; } = LambdaTuningRule.Default.Minimum;
    public double Maximum { get; set; } = LambdaTuningRule.Default.Maximum;
}
