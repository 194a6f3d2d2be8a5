namespace Pipeline.Lab.Experiments.L2pf;

/// <summary>The human-readable form of `pipeline experiment l2pf`'s report.</summary>
public static class L2pfTable
{
    public static void Print(L2pfReport report)
    {
        var baseline = report.Baseline;
        Console.WriteLine($"l2pf on {report.Machine} ({report.Seconds} s); ResNet20 {baseline.Parameters:N0} parameters, {baseline.Flops:N0} FLOPs, test accuracy {baseline.Accuracy:P2}");
        Console.WriteLine($"  {"method",-14} {"params ×",9} {"FLOPs ×",9} {"acc before",11} {"acc after",10} {"drop",7} {"seconds",8} {"agent s",8} {"tune s",7} {"steps",6}");
        foreach (var (name, m) in report.Methods)
        {
            var drop = (m.AccuracyBefore - m.AccuracyAfter) * 100;
            Console.WriteLine($"  {name,-14} {m.ParamCompression,9:0.00} {m.FlopCompression,9:0.00} {m.AccuracyBefore,11:P2} {m.AccuracyAfter,10:P2} {drop,7:0.00} " +
                              $"{m.PruningSeconds,8:0.0} {m.AgentSeconds,8:0.0} {m.FineTuneSeconds,7:0.0} {m.FineTuneSteps,6}");
        }
        if (report.L2pfTimeSaving is { } saving)
            Console.WriteLine($"  L2PF spent {saving:0.00}× less time pruning than try-and-learn (target ≥ 1.5× at equal compression and accuracy)");
    }
}
