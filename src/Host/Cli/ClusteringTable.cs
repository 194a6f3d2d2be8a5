using Pipeline.Lab.Experiments.Clustering;

namespace Pipeline.Host.Cli;

/// <summary>The clustering experiment as a table: method × data set → ACC, NMI, ARI (mean ± sd) and seconds, the papers' figures beside.</summary>
public static class ClusteringTable
{
    public static void Print(Dictionary<string, object?> report)
    {
        Console.WriteLine($"clustering on {report["machine"]} ({report["seconds"]} s)");
        var pretraining = (Dictionary<string, object?>)report["pretraining"]!;
        foreach (var (dataset, value) in (Dictionary<string, object?>)report["datasets"]!)
        {
            var pretrain = (Dictionary<string, object?>)pretraining[dataset]!;
            Console.WriteLine($"{dataset}: {pretrain["images"]:N0} images; pretraining {pretrain["epochs"]} epochs, {pretrain["seconds"]:0} ± {pretrain["seconds_sd"]:0} s per seed");
            Console.WriteLine($"  {"method",-12} {"ACC",15} {"NMI",15} {"ARI",15} {"seconds",12} {"published ACC / NMI",22}");
            var published = PublishedClusteringFigures.All.GetValueOrDefault(dataset);
            foreach (var (method, summaryValue) in (Dictionary<string, object?>)value!)
            {
                var s = (Dictionary<string, object?>)summaryValue!;
                var paper = published?.GetValueOrDefault(method) is { } f ? $"{f.Acc:0.000} / {f.Nmi:0.000}" : "—";
                Console.WriteLine($"  {method,-12} {Cell(s, "acc"),15} {Cell(s, "nmi"),15} {Cell(s, "ari"),15} {s["seconds"],6:0} ± {s["seconds_sd"],-3:0} {paper,22}");
            }
            if (((Dictionary<string, object?>)report["targets"]!)[dataset] is Dictionary<string, object?> targets)
                Console.WriteLine("  target (alternating ≥ DCN and Deep K-Means in ACC and NMI): " +
                                  string.Join(", ", targets.Select(t => $"{t.Key} {(t.Value is bool met ? met ? "met" : "NOT met" : "n/a")}")));
        }
    }

    private static string Cell(Dictionary<string, object?> summary, string metric) => $"{summary[metric]:0.000} ± {summary[metric + "_sd"]:0.000}";
}
