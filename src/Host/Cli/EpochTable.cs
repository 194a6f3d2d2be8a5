using Pipeline.Host.FineTuning;

namespace Pipeline.Host.Cli;

/// <summary>The per-epoch table `finetune` prints: losses, perplexity, λ, time, and every metric the scorers reported.</summary>
public static class EpochTable
{
    public static void Print(RunRecord run)
    {
        var metricNames = run.Epochs.SelectMany(e => e.Metrics.Keys).Distinct()
            .Where(k => k is not ("train_loss" or "val_loss" or "lambda" or "tune_lambda")).Order(StringComparer.Ordinal).ToList();
        var header = $"{"epoch",5} {"train",8} {"val",8} {"val ppl",9} {"lambda",7} {"seconds",8}" + string.Concat(metricNames.Select(m => $" {m,14}"));
        Console.WriteLine(header);
        foreach (var e in run.Epochs.OrderBy(e => e.Epoch))
        {
            var marker = e.Epoch == run.Best?.Epoch ? "*" : " ";
            Console.WriteLine($"{e.Epoch,4}{marker} {e.TrainLoss,8:0.000} {e.ValLoss,8:0.000} {Math.Exp(e.ValLoss),9:0.00} {e.Lambda,7:0.###} {e.Seconds,8:0.0}" +
                              string.Concat(metricNames.Select(m => e.Metrics.TryGetValue(m, out var v) ? $" {v,14:0.####}" : $" {"-",14}")));
        }
        Console.WriteLine("* best epoch (lowest validation loss)");
    }
}
