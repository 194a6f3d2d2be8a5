namespace Pipeline.Modelling.Training;

/// <summary>
/// Packs tokenised sequences into rows of ContextLength tokens.
/// <list type="bullet">
/// <item>Each sequence is cut into pieces of at most ContextLength tokens. A piece's last target is the first token
/// of the next piece, so every token after a sequence's first is predicted exactly once, long sequences included.</item>
/// <item>Pieces go into the current row while they fit; otherwise a new row starts. The rest of a row is padding
/// (token 0, mask 0).</item>
/// <item>Targets never cross from one sequence into another: a sequence's last token has no target. Attention does
/// see earlier sequences packed into the same row (as with Hugging Face's packing); rows start at sequence starts
/// or piece boundaries only.</item>
/// </list>
/// Sequences shorter than two tokens have nothing to predict and are skipped. An optional <see cref="ITargetFilter"/>
/// treats the targets it drops like a sequence's last token (target 0, mask 0), so every uncounted slot looks the same;
/// without one the rows are as they always were.
/// </summary>
public static class SequencePacker
{
    /// <param name="oneSequencePerRow">Start every sequence on a new row (no packing): a row then holds one sequence's piece, for per-sample gradients.</param>
    public static PackedRows Pack(IEnumerable<int[]> sequences, int contextLength, ITargetFilter? filter = null, bool oneSequencePerRow = false)
    {
        var inputs = new List<long>();
        var targets = new List<long>();
        var mask = new List<float>();
        var used = 0; // tokens in the current (last) row

        void PadRow()
        {
            for (; used > 0 && used < contextLength; used++)
            {
                inputs.Add(0);
                targets.Add(0);
                mask.Add(0);
            }
            used = 0;
        }

        foreach (var sequence in sequences)
        {
            if (sequence.Length < 2) continue;
            for (var start = 0; start < sequence.Length; start += contextLength)
            {
                var pieceLength = Math.Min(contextLength, sequence.Length - start);
                if (used + pieceLength > contextLength) PadRow();
                for (var i = start; i < start + pieceLength; i++)
                {
                    var counts = i + 1 < sequence.Length && (filter is null || filter.Keep(sequence, i + 1));
                    inputs.Add(sequence[i]);
                    targets.Add(counts ? sequence[i + 1] : 0);
                    mask.Add(counts ? 1 : 0);
                }
                used += pieceLength;
                if (used == contextLength) used = 0;
            }
            if (oneSequencePerRow) PadRow();
        }
        PadRow();

        return new PackedRows(inputs.ToArray(), targets.ToArray(), mask.ToArray(), inputs.Count / contextLength, contextLength);
    }
}
