using Pipeline.Modelling.Storage;
using System.Text.Json;
using Pipeline.Contracts.Json;
using Pipeline.Contracts.Runs;

namespace Pipeline.Node.FineTuning.Reports;

/// <summary>
/// runs/&lt;run-id&gt;/report.json in the schema of DESIGN.md. Each epoch lists the losses, λ and time, plus every
/// metric the installed scorers reported; a metric whose plugin is not installed is absent, never zero. metric_labels
/// holds the readable labels scorers gave some metrics (a cluster's top terms for verbatim_rate@cluster_k).
/// </summary>
public static class RunReport
{
    public const string FileName = "report.json";

    public static Dictionary<string, object?> Build(RunRecord run)
    {
        var request = run.Request;
        var best = run.Best;
        return new Dictionary<string, object?>
        {
            ["run_id"] = request.RunId,
            ["base_model"] = run.BaseModelPath ?? request.BaseModel,
            ["dataset"] = run.DatasetPath ?? request.Dataset,
            ["config"] = new Dictionary<string, object?>
            {
                ["epochs"] = request.Epochs,
                ["learning_rate"] = request.LearningRate,
                ["batch_size"] = request.BatchSize,
                ["context_length"] = request.ContextLength,
                ["max_records"] = request.MaxRecords,
                ["seed"] = request.Seed,
                ["regulariser"] = request.Regulariser,
                ["lambda"] = request.Lambda,
                ["tune_lambda"] = request.TuneLambda,
                ["precision"] = request.Precision,
                ["run_ahead"] = request.RunAhead,
                ["train_records"] = run.TrainRecords,
                ["validation_records"] = run.ValidationRecords,
            },
            ["status"] = run.Status.ToString().ToLowerInvariant(),
            ["epochs"] = run.Epochs.OrderBy(e => e.Epoch).Select(Epoch).ToList(),
            ["stopped_at_epoch"] = run.StoppedAtEpoch,
            ["stop_reason"] = run.StopReason,
            ["failure"] = run.FailureReason,
            ["best_epoch"] = best?.Epoch,
            ["best_checkpoint"] = best?.Checkpoint.Path,
            ["metric_labels"] = new SortedDictionary<string, string>(run.MetricLabels, StringComparer.Ordinal),
            ["compressed"] = run.Compressed.Select(c => new Dictionary<string, object?>
            {
                ["method"] = c.Method, ["path"] = c.Path, ["ratio"] = c.Ratio, ["val_ppl"] = c.ValPpl,
            }).ToList(),
        };
    }

    public static string Write(string runDirectory, RunRecord run)
    {
        var path = Path.Combine(runDirectory, FileName);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(Build(run), SnakeCaseJson.Options));
        return path;
    }

    private static Dictionary<string, object?> Epoch(EpochRecord epoch)
    {
        var entry = new Dictionary<string, object?>
        {
            ["epoch"] = epoch.Epoch,
            ["train_loss"] = epoch.TrainLoss,
            ["val_loss"] = epoch.ValLoss,
            ["val_ppl"] = Math.Exp(epoch.ValLoss),
        };
        foreach (var (name, value) in epoch.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            entry.TryAdd(name, value);
        entry["lambda"] = epoch.Lambda;
        entry["regularisation_loss"] = epoch.RegularisationLoss;
        entry["seconds"] = epoch.Seconds;
        entry["tokens"] = epoch.Tokens;
        entry["checkpoint"] = epoch.Checkpoint.Path;
        return entry;
    }
}
