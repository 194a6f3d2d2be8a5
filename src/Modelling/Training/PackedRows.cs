namespace Pipeline.Modelling.Training;

/// <summary>
/// Token rows ready for batching, stored flat (row r occupies [r·Length, (r+1)·Length)). Targets[i] is the token
/// that follows Inputs[i] in the same sequence; Mask[i] is 1 where that target exists and 0 on padding, on each
/// sequence's last token and on targets an <see cref="ITargetFilter"/> dropped (those target slots hold 0 and are never counted).
/// </summary>
public sealed record PackedRows(long[] Inputs, long[] Targets, float[] Mask, int Rows, int Length)
{
    public long TargetTokens(int firstRow, int rowCount)
    {
        long count = 0;
        foreach (var m in Mask.AsSpan(firstRow * Length, rowCount * Length))
            if (m > 0) count++;
        return count;
    }
}
