using Pipeline.Modelling.Memorisation;
using Pipeline.Contracts.Runs;

namespace Pipeline.Lab.Experiments.MemorisationDynamics;

/// <summary>
/// Reads the seed's three findings off one run: (a) when memorisation rises versus when validation perplexity is
/// best; (b) how many epochs the n-gram score's rise leads verbatim memorisation, overall and per record; (c) what
/// stopping on the n-gram rule, at the best validation loss, or at the last epoch keeps.
/// </summary>
public static class DynamicsAnalysis
{
    /// <summary>Memorisation "rises" at the first epoch whose verbatim rate exceeds held-out by this much.</summary>
    public const double VerbatimRiseExcess = 0.05;

    /// <summary>A record's n-gram score "rises" at the first epoch it reaches this (a verbatim record scores 1).</summary>
    public const double RecordNgramRise = 0.5;

    /// <param name="recordsByEpoch">Training-sample records' scores per epoch (from memorisation.jsonl beside each checkpoint).</param>
    /// <param name="repeatedIds">Ids of records that occur several times in the training data (repetition setting), else empty.</param>
    public static RunFindings Analyse(RunRecord run, IReadOnlyDictionary<int, IReadOnlyList<ScoredRecord>> recordsByEpoch,
        NgramEarlyStoppingRule rule, IReadOnlySet<string> repeatedIds)
    {
        var epochs = run.Epochs.OrderBy(e => e.Epoch).ToList();
        double Metric(EpochRecord e, string name) => e.Metrics.GetValueOrDefault(name);

        var bestVal = epochs.MinBy(e => e.ValLoss)!;
        var memorisationRise = epochs.FirstOrDefault(e => Metric(e, "verbatim_rate") - Metric(e, "verbatim_rate_heldout") >= VerbatimRiseExcess)?.Epoch;
        var excess = epochs.Select(e => (e.Epoch, Metric(e, "ngram_score") - Metric(e, "ngram_score_heldout"))).ToList();
        var ngramRise = rule.FirstRiseEpoch(excess);

        // Per record: epochs from its n-gram score reaching RecordNgramRise to its first verbatim epoch.
        var leads = new List<double>();
        var firstVerbatim = new Dictionary<string, int>();
        foreach (var (epoch, records) in recordsByEpoch.OrderBy(kv => kv.Key))
            foreach (var record in records.Where(r => r.Verbatim))
                firstVerbatim.TryAdd(record.Id, epoch);
        foreach (var (id, verbatimEpoch) in firstVerbatim)
        {
            var ngramEpoch = recordsByEpoch.OrderBy(kv => kv.Key)
                .FirstOrDefault(kv => kv.Value.Any(r => r.Id == id && r.NgramScore >= RecordNgramRise)).Key;
            leads.Add(verbatimEpoch - ngramEpoch);
        }

        // (c) The n-gram rule, replayed epoch by epoch as the policy sees it.
        int? fired = null;
        string? reason = null;
        for (var i = 1; i <= excess.Count && fired is null; i++)
        {
            reason = rule.Evaluate(excess.Take(i).ToList());
            if (reason is not null)
                fired = excess[i - 1].Epoch;
        }
        // What the worker keeps: the best validation loss among the epochs before the trigger (all epochs if it never fired).
        var keptUnderRule = fired is { } stop
            ? epochs.Where(e => e.Epoch < stop).DefaultIfEmpty(epochs.First()).MinBy(e => e.ValLoss)!
            : bestVal;

        return new RunFindings(
            bestVal.Epoch, memorisationRise, ngramRise,
            memorisationRise is { } v && ngramRise is { } g ? v - g : null,
            leads.Count == 0 ? null : leads.Average(), firstVerbatim.Count,
            Outcome(keptUnderRule), fired, fired is { } at ? Metric(epochs.Single(e => e.Epoch == at), "verbatim_rate") : null,
            Outcome(bestVal), Outcome(epochs.Last()), reason,
            epochs.Average(e => Metric(e, "scoring_seconds") / Math.Max(e.Seconds, 1e-9)),
            // Repeated vs unique records when memorisation rises (or at the last epoch when it never does).
            repeatedIds.Count == 0 ? null : SubsetVerbatim(recordsByEpoch, memorisationRise ?? epochs.Last().Epoch, r => repeatedIds.Contains(r.Id)),
            repeatedIds.Count == 0 ? null : SubsetVerbatim(recordsByEpoch, memorisationRise ?? epochs.Last().Epoch, r => !repeatedIds.Contains(r.Id)));

        KeptCheckpoint Outcome(EpochRecord e) => new(e.Epoch, Metric(e, "verbatim_rate"), Math.Exp(e.ValLoss));
    }

    private static double? SubsetVerbatim(IReadOnlyDictionary<int, IReadOnlyList<ScoredRecord>> recordsByEpoch, int epoch, Func<ScoredRecord, bool> inSubset)
    {
        if (!recordsByEpoch.TryGetValue(epoch, out var records))
            return null;
        var subset = records.Where(inSubset).ToList();
        return subset.Count == 0 ? null : subset.Count(r => r.Verbatim) / (double)subset.Count;
    }
}
