namespace Pipeline.Modelling.Unlearning;

/// <summary>
/// What a membership-inference attacker sees of a classifier on some rows: the logits (rows × classes, row-major)
/// and the true labels. From them come each row's cross-entropy loss and the entropy of its predicted distribution.
/// </summary>
public sealed record ClassifierOutputs(float[] Logits, int Classes, int[] Labels)
{
    public int Rows => Labels.Length;

    public ClassifierOutputs Select(IReadOnlyList<int> rows)
    {
        var logits = new float[rows.Count * Classes];
        for (var i = 0; i < rows.Count; i++)
            Logits.AsSpan(rows[i] * Classes, Classes).CopyTo(logits.AsSpan(i * Classes, Classes));
        return new ClassifierOutputs(logits, Classes, rows.Select(r => Labels[r]).ToArray());
    }

    /// <summary>log softmax of one row, computed stably.</summary>
    public double[] LogProbabilities(int row)
    {
        var span = Logits.AsSpan(row * Classes, Classes);
        var max = double.NegativeInfinity;
        foreach (var v in span) max = Math.Max(max, v);
        var sum = 0.0;
        foreach (var v in span) sum += Math.Exp(v - max);
        var logSum = max + Math.Log(sum);
        var result = new double[Classes];
        for (var c = 0; c < Classes; c++) result[c] = span[c] - logSum;
        return result;
    }

    public double Loss(int row) => -LogProbabilities(row)[Labels[row]];

    public double Entropy(int row) => -LogProbabilities(row).Sum(lp => Math.Exp(lp) * lp);
}
