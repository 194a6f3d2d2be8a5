namespace Pipeline.Modelling.Unlearning;

/// <summary>
/// Binary logistic regression with an L2 penalty (½‖w‖², intercept not penalised; scikit-learn's default C = 1),
/// on standardised features, fitted by Newton's method. Small and exact enough for a membership attacker's few features.
/// </summary>
public sealed class LogisticRegression
{
    private readonly double[] _weights;
    private readonly double[] _mean;
    private readonly double[] _scale;

    private LogisticRegression(double[] weights, double[] mean, double[] scale) => (_weights, _mean, _scale) = (weights, mean, scale);

    public static LogisticRegression Fit(IReadOnlyList<double[]> features, IReadOnlyList<bool> labels, double c = 1.0, int iterations = 50)
    {
        if (features.Count == 0 || features.Count != labels.Count) throw new ArgumentException("one label per feature row, at least one row");
        var width = features[0].Length;
        var mean = Enumerable.Range(0, width).Select(j => features.Average(f => f[j])).ToArray();
        var scale = Enumerable.Range(0, width).Select(j =>
        {
            var sd = Math.Sqrt(features.Average(f => (f[j] - mean[j]) * (f[j] - mean[j])));
            return sd > 1e-12 ? sd : 1.0;
        }).ToArray();
        var x = features.Select(f => Standardise(f, mean, scale)).ToArray();
        var w = new double[width + 1]; // last entry: intercept
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var gradient = new double[width + 1];
            var hessian = new double[width + 1, width + 1];
            for (var j = 0; j < width; j++)
            {
                gradient[j] = w[j] / c;
                hessian[j, j] = 1 / c;
            }
            for (var i = 0; i < x.Length; i++)
            {
                var p = Sigmoid(Dot(w, x[i]));
                var error = p - (labels[i] ? 1 : 0);
                var curvature = Math.Max(p * (1 - p), 1e-12);
                for (var a = 0; a <= width; a++)
                {
                    var xa = a < width ? x[i][a] : 1;
                    gradient[a] += error * xa;
                    for (var b = 0; b <= width; b++)
                        hessian[a, b] += curvature * xa * (b < width ? x[i][b] : 1);
                }
            }
            var step = Solve(hessian, gradient);
            var change = 0.0;
            for (var a = 0; a <= width; a++)
            {
                w[a] -= step[a];
                change = Math.Max(change, Math.Abs(step[a]));
            }
            if (change < 1e-9) break;
        }
        return new LogisticRegression(w, mean, scale);
    }

    /// <summary>P(label = true | features).</summary>
    public double Probability(double[] features) => Sigmoid(Dot(_weights, Standardise(features, _mean, _scale)));

    private static double[] Standardise(double[] f, double[] mean, double[] scale) => f.Select((v, j) => (v - mean[j]) / scale[j]).ToArray();

    private static double Dot(double[] w, double[] x)
    {
        var sum = w[^1];
        for (var j = 0; j < x.Length; j++) sum += w[j] * x[j];
        return sum;
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>Gaussian elimination with partial pivoting (the Hessian is positive definite thanks to the penalty).</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var v = (double[])b.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < n; row++)
                if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col])) pivot = row;
            if (pivot != col)
            {
                for (var k = 0; k < n; k++) (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
                (v[col], v[pivot]) = (v[pivot], v[col]);
            }
            if (Math.Abs(m[col, col]) < 1e-300) continue;
            for (var row = col + 1; row < n; row++)
            {
                var factor = m[row, col] / m[col, col];
                for (var k = col; k < n; k++) m[row, k] -= factor * m[col, k];
                v[row] -= factor * v[col];
            }
        }
        var x = new double[n];
        for (var row = n - 1; row >= 0; row--)
        {
            var sum = v[row];
            for (var k = row + 1; k < n; k++) sum -= m[row, k] * x[k];
            x[row] = Math.Abs(m[row, row]) < 1e-300 ? 0 : sum / m[row, row];
        }
        return x;
    }
}
