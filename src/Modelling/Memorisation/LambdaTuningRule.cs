namespace Pipeline.Modelling.Memorisation;

/// <summary>
/// Tunes the n-gram regulariser's strength λ between epochs from the n-gram score's excess over held-out
/// (ngram_score − ngram_score_heldout): when the excess grew by more than Tolerance since the previous scored
/// epoch, raise λ (×Factor, at least Initial); when it fell by more than Tolerance, relax it (÷Factor, to 0 below
/// Initial); always within [Minimum, Maximum]. Null = leave λ as it is.
/// </summary>
public sealed record LambdaTuningRule(double Initial, double Factor, double Tolerance, double Minimum, double Maximum)
{
    public static readonly LambdaTuningRule Default = new(Initial: 0.1, Factor: 2, Tolerance: 0.01, Minimum: 0, Maximum: 2);

    public (double Lambda, string Reason)? Next(double currentLambda, double previousExcess, double latestExcess)
    {
        var change = latestExcess - previousExcess;
        double proposed;
        string why;
        if (change > Tolerance)
        {
            proposed = Math.Max(currentLambda * Factor, Initial);
            why = $"n-gram excess over held-out grew {previousExcess:0.###} → {latestExcess:0.###}: raise λ";
        }
        else if (change < -Tolerance && currentLambda > Minimum)
        {
            proposed = currentLambda / Factor < Initial ? 0 : currentLambda / Factor;
            why = $"n-gram excess over held-out fell {previousExcess:0.###} → {latestExcess:0.###}: relax λ";
        }
        else
        {
            return null;
        }
        var bounded = Math.Clamp(proposed, Minimum, Maximum);
        return Math.Abs(bounded - currentLambda) < 1e-12 ? null : (bounded, $"{why} {currentLambda:0.####} → {bounded:0.####}");
    }
}
