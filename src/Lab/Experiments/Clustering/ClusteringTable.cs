namespace Pipeline.Lab.Experiments.Clustering;

/// <summary>The clustering experiment as a table: method × data set → ACC, NMI, ARI (mean ± sd) and seconds, the papers' figures beside.</summary>
public static class ClusteringTable
{
    public static void Print(ClusteringReport report)
    {
        Console.WriteLine($"clustering on {report.Machine} ({report.Seconds} s)");
        foreach (var (dataset, methods) in report.Datasets)
        {
            var pretrain = report.Pretraining[dataset];
            Console.WriteLine($"{dataset}: {pretrain.Images:N0} images; pretraining {pretrain.Epochs} epochs, {pretrain.Seconds:0} ± {pretrain.SecondsSd:0} s per seed");
            Console.WriteLine($"  {"method",-12} {"ACC",15} {"NMI",15} {"ARI",15} {"seconds",12} {"published ACC / NMI",22}");
            var published = report.Published.GetValueOrDefault(dataset);
            foreach (var (method, s) in methods)
            {
                var paper = published?.GetValueOrDefault(method) is { } f ? $"{f.Acc:0.000} / {f.Nmi:0.000}" : "—";
                Console.WriteLine($"  {method,-12} {Cell(s.Acc, s.AccSd),15} {Cell(s.Nmi, s.NmiSd),15} {Cell(s.Ari, s.AriSd),15} {s.Seconds,6:0} ± {s.SecondsSd,-3:0} {paper,22}");
            }
            if (report.Targets.GetValueOrDefault(dataset) is { } targets)
                Console.WriteLine("  target (alternating ≥ DCN and Deep K-Means in ACC and NMI): " +
                                  string.Join(", ", targets.Select(t => $"{t.Key} {(t.Value is bool met ? met ? "met" : "NOT met" : "n/a")}")));
        }
    }

    private static string Cell(double? mean, double? sd) => $"{mean:0.000} ± {sd:0.000}";
}
