using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Memorisation;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Tokenization;
using Pipeline.Modelling.Unlearning;

namespace Pipeline.Plugins.Unlearning;

/// <summary>How a model treats the forgotten records against records it never trained on.</summary>
public sealed record ForgettingFigures(
    int Forgotten, int HeldOut, int Scored, double ForgottenVerbatimRate, double HeldOutVerbatimRate,
    double ForgottenNgramScore, double HeldOutNgramScore, int AboveHeldOut, double MiaAuc, double MiaAucSameSubject);

/// <summary>
/// Verifies forgetting on one model: memorisation (greedy continuation of each record's prefix: verbatim and n-gram
/// score) of the forgotten records against held-out records, record by record — a forgotten record is above the
/// held-out level when its n-gram score exceeds every held-out record's by more than the tolerance, or it is reproduced
/// verbatim while no held-out record is — and a loss-threshold membership attack (members: the forgotten records; non-members: the held-out ones).
/// </summary>
public static class ForgettingCheck
{
    public static ForgettingFigures Measure(string checkpointFolder, IReadOnlyList<TextRecord> forgotten, IReadOnlyList<TextRecord> heldOut,
        IReadOnlyList<TextRecord> subjectHeldOut, MemorisationSettings settings, double ngramTolerance, int contextLength, string device,
        CancellationToken cancellationToken)
    {
        using var model = CheckpointStore.Load(checkpointFolder, DeviceSelector.Resolve(device));
        var tokenizer = TokenizerLoader.ForCheckpoint(checkpointFolder);
        var scorer = new MemorisationScorer(model, tokenizer, settings);
        var forgottenScores = scorer.Score(forgotten, "forgotten", cancellationToken).Records;
        var heldOutScores = scorer.Score(heldOut, MemorisationSide.HeldOut, cancellationToken).Records;
        var forgottenSummary = MemorisationSummary.Of(forgottenScores, 0);
        var heldOutSummary = MemorisationSummary.Of(heldOutScores, 0);
        var above = heldOutScores.Count == 0 ? 0 : forgottenScores.Count(r =>
            r.NgramScore > heldOutScores.Max(h => h.NgramScore) + ngramTolerance || (r.Verbatim && !heldOutScores.Any(h => h.Verbatim)));

        double[] Losses(IReadOnlyList<TextRecord> records) =>
            RecordLosses.Of(model, records.Select(r => r.TrainingSequence(tokenizer)).ToList(), contextLength).Where(double.IsFinite).ToArray();
        var members = Losses(forgotten);
        var auc = LossAuc(members, Losses(heldOut));
        var sameSubject = subjectHeldOut.Count >= 2 ? LossAuc(members, Losses(subjectHeldOut)) : double.NaN;
        return new ForgettingFigures(forgotten.Count, heldOut.Count, forgottenScores.Count, forgottenSummary.VerbatimRate, heldOutSummary.VerbatimRate,
            forgottenSummary.NgramScore, heldOutSummary.NgramScore, above, auc, sameSubject);
    }

    /// <summary>AUC of the loss threshold (lower loss ⇒ member); NaN when a side is empty.</summary>
    private static double LossAuc(double[] members, double[] nonMembers) =>
        members.Length > 0 && nonMembers.Length > 0 ? RocCurve.Auc(members.Select(l => -l).ToList(), nonMembers.Select(l => -l).ToList()) : double.NaN;
}
