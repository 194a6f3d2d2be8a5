namespace Pipeline.Lab.Experiments.Mitigation;

/// <summary>The human-readable form of `pipeline experiment mitigation`'s report.</summary>
public static class MitigationTable
{
    public static void Print(MitigationReport report)
    {
        Console.WriteLine($"mitigation on {report.Machine} ({report.Seconds} s), {report.Settings.Seeds} seeds × {report.Settings.Epochs} epochs; mean ± sd");
        Console.WriteLine($"  {"method",-22} {"verbatim",14} {"n-gram",14} {"val ppl",16} {"reduction",16} {"ppl change",16} {"time ×",8}");
        foreach (var (name, m) in report.Methods)
        {
            static string Pm(double? mean, double? sd) => mean is { } v ? $"{v:0.###} ± {sd:0.###}" : "-";
            Console.WriteLine($"  {name,-22} {Pm(m.VerbatimRate, m.VerbatimRateSd),14} {Pm(m.NgramScore, m.NgramScoreSd),14} {Pm(m.ValPpl, m.ValPplSd),16} " +
                              $"{Pm(m.VerbatimReduction, m.VerbatimReductionSd),16} {Pm(m.PplChange, m.PplChangeSd),16} {m.SecondsPerEpochRatio,8:0.00}");
        }
    }
}
