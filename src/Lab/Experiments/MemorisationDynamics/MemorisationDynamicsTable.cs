namespace Pipeline.Lab.Experiments.MemorisationDynamics;

/// <summary>The experiment's result as text: per-epoch table and findings, for each setting.</summary>
public static class MemorisationDynamicsTable
{
    public static void Print(Dictionary<string, object?> report)
    {
        Console.WriteLine($"memorisation dynamics on {report["machine"]}{(report.TryGetValue("seconds", out var seconds) ? $" ({seconds} s)" : "")}");
        Section("fortunes", report);
        if (report["repetition"] is Dictionary<string, object?> repetition)
            Section("fortunes with 10% of records repeated ×5", repetition);
        Console.WriteLine($"all figures: mean ± sd over seeds; runs and data in {report["work_directory"]}");
    }

    private static void Section(string title, Dictionary<string, object?> part)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        Console.WriteLine($"  {"epoch",5} {"val ppl",16} {"verbatim",14} {"verb. held",12} {"n-gram",14} {"n-gram held",14}");
        foreach (var row in (List<Dictionary<string, object?>>)part["epochs"]!)
            Console.WriteLine($"  {row["epoch"],5} {Pm(row, "val_ppl"),16} {Pm(row, "verbatim_rate"),14} {Pm(row, "verbatim_rate_heldout"),12} {Pm(row, "ngram_score"),14} {Pm(row, "ngram_score_heldout"),14}");
        var f = (Dictionary<string, object?>)part["findings"]!;
        Console.WriteLine($"  (a) memorisation rises at epoch {Pm(f, "memorisation_rise_epoch")} ({f["runs_where_memorisation_rose"]} runs); " +
                          $"validation perplexity is best at epoch {Pm(f, "best_val_ppl_epoch")}; rose before the best in {f["runs_where_memorisation_rose_before_best_val_ppl"]} runs");
        Console.WriteLine($"  (b) n-gram rise at epoch {Pm(f, "ngram_rise_epoch")}: leads verbatim by {Pm(f, "ngram_lead_epochs")} epochs; per record by {Pm(f, "per_record_ngram_lead_epochs")}");
        var stopping = (Dictionary<string, object?>)f["stopping"]!;
        var rule = (Dictionary<string, object?>)stopping["ngram_rule"]!;
        Console.WriteLine($"  (c) the n-gram rule fired in {rule["runs_fired"]} runs, at epoch {Pm(rule, "fired_at_epoch")}, with verbatim rate then {Pm(rule, "verbatim_rate_when_fired")}; kept:");
        foreach (var (name, value) in stopping)
        {
            var s = (Dictionary<string, object?>)value!;
            Console.WriteLine($"      {name,-14} epoch {Pm(s, "epoch"),12}  verbatim {Pm(s, "verbatim_rate"),14}  val ppl {Pm(s, "val_ppl"),14}");
        }
        if (f.ContainsKey("repeated_verbatim_at_rise"))
            Console.WriteLine($"  verbatim rate when memorisation rises: repeated records {Pm(f, "repeated_verbatim_at_rise")}, unique records {Pm(f, "unique_verbatim_at_rise")}");
        Console.WriteLine($"  scoring time per epoch as a share of training time: {Pm(f, "scoring_share_of_training")}");
    }

    private static string Pm(Dictionary<string, object?> values, string name) =>
        values.TryGetValue(name, out var mean) && mean is double m ? $"{m:0.###} ± {values[name + "_sd"]:0.###}" : "never";
}
