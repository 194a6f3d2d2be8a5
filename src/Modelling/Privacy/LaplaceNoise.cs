namespace Pipeline.Modelling.Privacy;

/// <summary>Draws from the Laplace distribution (density e^(−|x|/b) / 2b; variance 2b²) by inverting its CDF.</summary>
public static class LaplaceNoise
{
    public static double Sample(double scale, Random random)
    {
        if (scale < 0) throw new ArgumentOutOfRangeException(nameof(scale), "the scale must be ≥ 0");
        if (scale == 0) return 0;
        // u uniform on (−½, ½), never exactly ±½ so the logarithm stays finite.
        double u;
        do u = random.NextDouble() - 0.5; while (u == -0.5);
        return -scale * Math.Sign(u) * Math.Log(1 - 2 * Math.Abs(u));
    }
}
