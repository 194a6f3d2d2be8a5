namespace Pipeline.Modelling.Training;

/// <summary>
/// One epoch of training. TrainLoss is the token-weighted mean cross-entropy (comparable to validation loss);
/// RegularisationLoss the token-weighted mean of the extra term (0 without one); StepLosses each step's cross-entropy.
/// </summary>
public sealed record EpochResult(
    int Epoch, double TrainLoss, double RegularisationLoss, long Tokens, double Seconds, int Steps,
    double FinalLearningRate, IReadOnlyList<double> StepLosses)
{
    public double TokensPerSecond => Seconds > 0 ? Tokens / Seconds : 0;
}
