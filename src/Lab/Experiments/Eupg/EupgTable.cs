namespace Pipeline.Lab.Experiments.Eupg;

/// <summary>The human-readable form of `pipeline experiment eupg`'s report.</summary>
public static class EupgTable
{
    public static void Print(EupgReport report)
    {
        Console.WriteLine($"eupg on {report.Machine} ({report.Seconds} s); mean ± sd over repeats");
        foreach (var (name, d) in report.Datasets)
        {
            Console.WriteLine();
            Console.WriteLine($"{name}: {d.TrainRows} training rows, {d.TestRows} test rows, {d.ForgottenRows} forgotten; " +
                              $"MIA noise floor {d.MiaNoiseFloor:0.000} ± {d.MiaNoiseFloorSd:0.000}; smallest k-anonymous group {d.KAnonymitySmallestGroup}");
            Console.WriteLine($"  {"method",-9} {"accuracy before",17} {"accuracy after",17} {"MIA AUC before",17} {"MIA AUC after",17} {"learn s",8} {"forget s",9} {"speed-up",9}");
            foreach (var method in EupgExperiment.Methods)
            {
                var (b, a) = (d.Before[method], d.After[method]);
                Console.WriteLine($"  {method,-9} {$"{b.Utility:0.000} ± {b.UtilitySd:0.000}",17} {$"{a.Utility:0.000} ± {a.UtilitySd:0.000}",17} " +
                                  $"{$"{b.MiaAuc:0.000} ± {b.MiaAucSd:0.000}",17} {$"{a.MiaAuc:0.000} ± {a.MiaAucSd:0.000}",17} " +
                                  $"{b.Seconds,8:0.00} {a.Seconds,9:0.000} {d.SpeedupOverRetrain[method],8:0.0}×");
            }
        }
    }
}
