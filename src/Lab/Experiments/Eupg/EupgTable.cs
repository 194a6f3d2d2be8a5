namespace Pipeline.Lab.Experiments.Eupg;

/// <summary>The human-readable form of `pipeline experiment eupg`'s result.</summary>
public static class EupgTable
{
    public static void Print(Dictionary<string, object?> report)
    {
        Console.WriteLine($"eupg on {report["machine"]} ({report["seconds"]} s); mean ± sd over repeats");
        foreach (var (name, value) in (Dictionary<string, object?>)report["datasets"]!)
        {
            var d = (Dictionary<string, object?>)value!;
            Console.WriteLine();
            Console.WriteLine($"{name}: {d["train_rows"]} training rows, {d["test_rows"]} test rows, {d["forgotten_rows"]} forgotten; " +
                              $"MIA noise floor {d["mia_noise_floor"]:0.000} ± {d["mia_noise_floor_sd"]:0.000}; smallest k-anonymous group {d["k_anonymity_smallest_group"]}");
            Console.WriteLine($"  {"method",-9} {"accuracy before",17} {"accuracy after",17} {"MIA AUC before",17} {"MIA AUC after",17} {"learn s",8} {"forget s",9} {"speed-up",9}");
            var before = (Dictionary<string, object?>)d["before"]!;
            var after = (Dictionary<string, object?>)d["after"]!;
            var speedup = (Dictionary<string, object?>)d["speedup_over_retrain"]!;
            foreach (var method in EupgExperiment.Methods)
            {
                var b = (Dictionary<string, object?>)before[method]!;
                var a = (Dictionary<string, object?>)after[method]!;
                static string Pm(Dictionary<string, object?> row, string key) => $"{row[key]:0.000} ± {row[key + "_sd"]:0.000}";
                Console.WriteLine($"  {method,-9} {Pm(b, "utility"),17} {Pm(a, "utility"),17} {Pm(b, "mia_auc"),17} {Pm(a, "mia_auc"),17} " +
                                  $"{b["seconds"],8:0.00} {a["seconds"],9:0.000} {speedup[method],8:0.0}×");
            }
        }
    }
}
