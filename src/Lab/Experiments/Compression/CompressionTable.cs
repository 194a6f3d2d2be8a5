namespace Pipeline.Lab.Experiments.Compression;

/// <summary>The human-readable form of `pipeline experiment compression`'s report.</summary>
public static class CompressionTable
{
    public static void Print(CompressionReport report)
    {
        var baseline = report.Baseline;
        Console.WriteLine($"compression on {report.Machine} ({report.Seconds} s); baseline (epoch {baseline.CompressedEpoch}) {baseline.Bytes:N0} bytes, " +
                          $"val ppl {baseline.ValPpl}, verbatim {baseline.VerbatimRate}");
        Console.WriteLine($"  {"method",-20} {"sparsity",8} {"bytes",12} {"ratio",7} {"val ppl",9} {"change",8} {"verbatim",9} {"seconds",8}");
        foreach (var row in report.Rows)
            Console.WriteLine($"  {row.Method,-20} {row.Sparsity,8:0.##} {row.Bytes,12:N0} {row.Ratio,7:0.00} {row.ValPpl,9:0.00} {row.PplChange * 100,7:+0.0;-0.0;0.0}% {row.VerbatimRate,9:0.000} {row.Seconds,8:0.0}");
    }
}
