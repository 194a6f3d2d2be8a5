namespace Pipeline.Modelling.Training;

/// <summary>
/// Learning rate per optimizer step: linear warm-up from peak/warmup to the peak over the warm-up steps, then a
/// half cosine from the peak down to peak × minFraction at the last step.
/// </summary>
public sealed record WarmupCosineSchedule(double PeakLearningRate, long WarmupSteps, long TotalSteps, double MinFraction)
{
    /// <summary>The rate for the optimizer step with 0-based index <paramref name="step"/>.</summary>
    public double At(long step)
    {
        if (step < WarmupSteps)
            return PeakLearningRate * (step + 1) / WarmupSteps;

        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps - 1);
        var progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        var floor = PeakLearningRate * MinFraction;
        return floor + (PeakLearningRate - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
