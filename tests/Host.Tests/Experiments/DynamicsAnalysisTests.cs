using Pipeline.Contracts.Messages;
using Pipeline.Modelling.Memorisation;
using Pipeline.Lab.Experiments.MemorisationDynamics;
using Pipeline.Contracts.Runs;

namespace Pipeline.Host.Tests.Experiments;

/// <summary>The experiment's findings read off a hand-made run history whose answers are known.</summary>
public sealed class DynamicsAnalysisTests
{
    // epoch: val loss, verbatim, verbatim held-out, n-gram, n-gram held-out
    private static readonly (double Val, double Verbatim, double VerbatimHeld, double Ngram, double NgramHeld)[] History =
    [
        (3.0, 0.00, 0, 0.20, 0.20), // 1
        (2.8, 0.00, 0, 0.21, 0.20), // 2: best validation loss
        (2.9, 0.00, 0, 0.30, 0.20), // 3: n-gram excess 0.10 > δ above its minimum 0.00 → rise
        (3.0, 0.02, 0, 0.40, 0.20), // 4: still rising → the rule fires (patience 2)
        (3.1, 0.10, 0, 0.55, 0.20), // 5: verbatim excess ≥ 0.05 → memorisation rises
        (3.3, 0.40, 0, 0.70, 0.20), // 6
    ];

    private static RunRecord Run()
    {
        var run = new RunRecord { Request = new StartFineTune(Guid.NewGuid(), "base", "d", 6, 1e-3, 1, "none", 0, DateTimeOffset.UtcNow) };
        for (var i = 0; i < History.Length; i++)
        {
            var h = History[i];
            run.Epochs.Add(new EpochRecord
            {
                Epoch = i + 1, ValLoss = h.Val, TrainLoss = 1, Seconds = 10,
                Checkpoint = new CheckpointReference($"/c/{i + 1}", new string('a', 64)),
                Metrics = new()
                {
                    ["verbatim_rate"] = h.Verbatim, ["verbatim_rate_heldout"] = h.VerbatimHeld,
                    ["ngram_score"] = h.Ngram, ["ngram_score_heldout"] = h.NgramHeld, ["scoring_seconds"] = 1,
                },
            });
        }
        return run;
    }

    private static ScoredRecord Record(string id, double ngram, bool verbatim) => new(id, "s", MemorisationSide.Trained, verbatim, ngram, ngram, 16, 16);

    [Fact]
    public void Findings_match_the_hand_made_history()
    {
        // Record "a": n-gram ≥ 0.5 from epoch 3, verbatim from 5 (lead 2); "b": n-gram ≥ 0.5 from 6 and verbatim at 6 (lead 0).
        var records = new Dictionary<int, IReadOnlyList<ScoredRecord>>
        {
            [1] = [Record("a", 0.1, false), Record("b", 0.1, false)],
            [2] = [Record("a", 0.3, false), Record("b", 0.1, false)],
            [3] = [Record("a", 0.6, false), Record("b", 0.2, false)],
            [4] = [Record("a", 0.8, false), Record("b", 0.3, false)],
            [5] = [Record("a", 1.0, true), Record("b", 0.4, false)],
            [6] = [Record("a", 1.0, true), Record("b", 1.0, true)],
        };

        var findings = DynamicsAnalysis.Analyse(Run(), records, new NgramEarlyStoppingRule(Delta: 0.05, Threshold: 0.9, Patience: 2), new HashSet<string> { "a" });

        Assert.Equal(2, findings.BestValPplEpoch);
        Assert.Equal(5, findings.MemorisationRiseEpoch);
        Assert.Equal(3, findings.NgramRiseEpoch);
        Assert.Equal(2, findings.NgramLeadEpochs);
        Assert.Equal(1.0, findings.PerRecordNgramLeadEpochs); // (2 + 0) / 2
        Assert.Equal(2, findings.RecordsMemorised);
        Assert.Equal(4, findings.NgramRuleFiredAt);
        Assert.Equal(0.02, findings.VerbatimRateWhenFired);
        Assert.Equal(2, findings.NgramRule.Epoch); // fired at 4: keeps the best validation loss among epochs 1..3
        Assert.StartsWith("rise:", findings.NgramRuleReason);
        Assert.Equal(2, findings.BestValLoss.Epoch);
        Assert.Equal(6, findings.LastEpoch.Epoch);
        Assert.Equal(0.40, findings.LastEpoch.VerbatimRate);
        Assert.Equal(Math.Exp(3.3), findings.LastEpoch.ValPpl, 9);
        Assert.Equal(0.1, findings.ScoringShareOfTraining, 9);
        Assert.Equal(1.0, findings.RepeatedVerbatimAtRise); // at epoch 5 "a" (repeated) is verbatim, "b" (unique) is not
        Assert.Equal(0.0, findings.UniqueVerbatimAtRise);
    }

    [Fact]
    public void A_run_without_memorisation_reports_never()
    {
        var flat = Run();
        foreach (var epoch in flat.Epochs)
        {
            epoch.Metrics["verbatim_rate"] = 0;
            epoch.Metrics["ngram_score"] = 0.2;
        }

        var findings = DynamicsAnalysis.Analyse(flat, new Dictionary<int, IReadOnlyList<ScoredRecord>>(), NgramEarlyStoppingRule.Default, new HashSet<string>());

        Assert.Null(findings.MemorisationRiseEpoch);
        Assert.Null(findings.NgramRiseEpoch);
        Assert.Null(findings.NgramLeadEpochs);
        Assert.Null(findings.NgramRuleReason);
        Assert.Null(findings.NgramRuleFiredAt);
        Assert.Equal(2, findings.NgramRule.Epoch); // never fired: the run keeps its best validation loss, as the worker does
    }
}
