namespace Pipeline.Lab.Experiments.MemorisationDynamics;

/// <summary>The experiment's report as text: per-epoch table and findings, for each setting.</summary>
public static class MemorisationDynamicsTable
{
    public static void Print(MemorisationDynamicsReport report)
    {
        Console.WriteLine($"memorisation dynamics on {report.Machine}{(report.Seconds is { } seconds ? $" ({seconds} s)" : "")}");
        Section("fortunes", new DynamicsSettingReport(report.Epochs, report.Findings));
        Section("fortunes with 10% of records repeated ×5", report.Repetition);
        Console.WriteLine($"all figures: mean ± sd over seeds; runs and data in {report.WorkDirectory}");
    }

    private static void Section(string title, DynamicsSettingReport part)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        Console.WriteLine($"  {"epoch",5} {"val ppl",16} {"verbatim",14} {"verb. held",12} {"n-gram",14} {"n-gram held",14}");
        foreach (var row in part.Epochs)
            Console.WriteLine($"  {row.Epoch,5} {Pm(row.ValPpl, row.ValPplSd),16} {Pm(row.VerbatimRate, row.VerbatimRateSd),14} " +
                              $"{Pm(row.VerbatimRateHeldout, row.VerbatimRateHeldoutSd),12} {Pm(row.NgramScore, row.NgramScoreSd),14} {Pm(row.NgramScoreHeldout, row.NgramScoreHeldoutSd),14}");
        var f = part.Findings;
        Console.WriteLine($"  (a) memorisation rises at epoch {Pm(f.MemorisationRiseEpoch, f.MemorisationRiseEpochSd)} ({f.RunsWhereMemorisationRose} runs); " +
                          $"validation perplexity is best at epoch {Pm(f.BestValPplEpoch, f.BestValPplEpochSd)}; rose before the best in {f.RunsWhereMemorisationRoseBeforeBestValPpl} runs");
        Console.WriteLine($"  (b) n-gram rise at epoch {Pm(f.NgramRiseEpoch, f.NgramRiseEpochSd)}: leads verbatim by {Pm(f.NgramLeadEpochs, f.NgramLeadEpochsSd)} epochs; " +
                          $"per record by {Pm(f.PerRecordNgramLeadEpochs, f.PerRecordNgramLeadEpochsSd)}");
        var rule = f.Stopping.NgramRule;
        Console.WriteLine($"  (c) the n-gram rule fired in {rule.RunsFired} runs, at epoch {Pm(rule.FiredAtEpoch, rule.FiredAtEpochSd)}, " +
                          $"with verbatim rate then {Pm(rule.VerbatimRateWhenFired, rule.VerbatimRateWhenFiredSd)}; kept:");
        var kept = new (string Name, StopFigures Figures)[]
        {
            ("ngram_rule", new StopFigures(rule.Epoch, rule.EpochSd, rule.VerbatimRate, rule.VerbatimRateSd, rule.ValPpl, rule.ValPplSd)),
            ("best_val_loss", f.Stopping.BestValLoss),
            ("last_epoch", f.Stopping.LastEpoch),
        };
        foreach (var (name, s) in kept)
            Console.WriteLine($"      {name,-14} epoch {Pm(s.Epoch, s.EpochSd),12}  verbatim {Pm(s.VerbatimRate, s.VerbatimRateSd),14}  val ppl {Pm(s.ValPpl, s.ValPplSd),14}");
        if (f.RepeatedVerbatimAtRise is not null)
            Console.WriteLine($"  verbatim rate when memorisation rises: repeated records {Pm(f.RepeatedVerbatimAtRise, f.RepeatedVerbatimAtRiseSd)}, " +
                              $"unique records {Pm(f.UniqueVerbatimAtRise, f.UniqueVerbatimAtRiseSd)}");
        Console.WriteLine($"  scoring time per epoch as a share of training time: {Pm(f.ScoringShareOfTraining, f.ScoringShareOfTrainingSd)}");
    }

    private static string Pm(double? mean, double? sd) => mean is { } m ? $"{m:0.###} ± {sd:0.###}" : "never";
}
