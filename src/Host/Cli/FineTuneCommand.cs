using System.CommandLine;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Validation;
using Pipeline.Data.Corpora;
using Pipeline.Node.Bus;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Hosting;
using Pipeline.Node.Torch;
using Pipeline.Node.Plugins;
using Pipeline.Node.Pretraining;
using Pipeline.Node.FineTuning.Reports;
using Pipeline.Node.Storage;
using Pipeline.Node.Telemetry;

namespace Pipeline.Host.Cli;

/// <summary>
/// `pipeline finetune`: the main job. Publishes StartFineTune and follows the run to its end. On the in-memory bus
/// (default) this process is the worker; with --transport rabbitmq a `serve` node runs it and this process follows.
/// </summary>
public static class FineTuneCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Corpus name (spam-assassin, fortunes, sotu, moby-dick, ...) or a JSONL file of {id, subject_id, text} or {id, subject_id, prompt, response}.", DefaultValueFactory = _ => "fortunes" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs (a policy may stop earlier).", DefaultValueFactory = _ => 6 };
        var baseModel = new Option<string>("--base-model") { Description = "Checkpoint folder (config.json + model.safetensors [+ tokenizer.json]) or \"base\": the local tiny model, pretrained on first use.", DefaultValueFactory = _ => BaseModelLocator.LocalBase };
        var output = new Option<string>("--out") { Description = "Runs folder: the run is written to OUT/<run-id>/.", DefaultValueFactory = _ => "runs" };
        var transport = new Option<string>("--transport") { Description = "in-memory (this process trains) or rabbitmq (a `pipeline serve` node trains; Bus:RabbitMQ settings).", DefaultValueFactory = _ => "in-memory" };
        var seed = new Option<int>("--seed") { Description = "Seed of the record sample, split, initialisation and shuffling.", DefaultValueFactory = _ => 7 };
        var maxRecords = new Option<int>("--max-records") { Description = "Use at most this many records (a seeded sample).", DefaultValueFactory = _ => 1000 };
        var learningRate = new Option<double>("--learning-rate") { Description = "Peak learning rate (AdamW, warm-up then cosine).", DefaultValueFactory = _ => 1e-3 };
        var batch = new Option<int>("--batch-size") { Description = "Rows per optimizer step.", DefaultValueFactory = _ => 16 };
        var context = new Option<int>("--context") { Description = "Tokens per row.", DefaultValueFactory = _ => 128 };
        var precision = new Option<string>("--precision") { Description = "auto (bfloat16 mixed precision where the hardware has native bf16), float32 or bfloat16.", DefaultValueFactory = _ => "auto" };
        var runAhead = new Option<bool>("--run-ahead") { Description = "Do not wait for the training policies' verdict on an epoch before the next." };
        var regulariser = new Option<string>("--regulariser") { Description = "none, ngram (n-gram-aware regulariser against the frozen base model) or goldfish (Goldfish loss: k = 4, h = 13).", DefaultValueFactory = _ => "none" };
        var lambda = new Option<double>("--lambda") { Description = "Strength λ of the n-gram regulariser (from epoch 1).", DefaultValueFactory = _ => 0.1 };
        var tuneLambda = new Option<bool>("--tune-lambda") { Description = "Let the lambda-tuning policy raise or relax λ between epochs from the n-gram score (needs --regulariser ngram)." };
        var runId = new Option<Guid?>("--run-id") { Description = "Resume (or re-request) this run id instead of starting a new run." };
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var command = new Command("finetune",
            "Fine-tune a language model with governance: every epoch is checkpointed, scored by the installed plugins and judged by the " +
            "training policies (which may stop the run or change its regularisation). Writes OUT/<run-id>/report.json, memorisation.png and the checkpoints. " +
            "With Telemetry:Prometheus:Enabled=true its metrics are served at Telemetry:Prometheus:Url while it runs.")
        {
            data, epochs, baseModel, output, transport, seed, maxRecords, learningRate, batch, context, precision, runAhead, regulariser, lambda, tuneLambda,
            runId, json, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new StartFineTune(parse.GetValue(runId) ?? NewId.NextGuid(), parse.GetValue(baseModel)!, parse.GetValue(data)!,
                parse.GetValue(epochs), parse.GetValue(learningRate), parse.GetValue(seed), parse.GetValue(regulariser)!,
                parse.GetValue(regulariser) == "ngram" ? parse.GetValue(lambda) : 0, DateTimeOffset.UtcNow)
            {
                BatchSize = parse.GetValue(batch),
                ContextLength = parse.GetValue(context),
                MaxRecords = parse.GetValue(maxRecords),
                RunsDirectory = Path.GetFullPath(parse.GetValue(output)!),
                RunAhead = parse.GetValue(runAhead),
                Precision = parse.GetValue(precision)!,
                TuneLambda = parse.GetValue(tuneLambda),
            };
            if (request.TuneLambda && request.Regulariser != "ngram")
                throw new UsageException("--tune-lambda tunes the n-gram regulariser: add --regulariser ngram");
            var invalid = new StartFineTuneValidator().Validate(request);
            if (!invalid.IsValid)
                throw new UsageException(string.Join(" ", invalid.Errors.Select(e => e.ErrorMessage)));
            if (LooksLikePath(request.Dataset) && !File.Exists(request.Dataset))
                throw new UsageException($"--data {request.Dataset}: no such file (a JSONL file, or a corpus name: {KnownCorpora.Names})");
            if (request.BaseModel != BaseModelLocator.LocalBase && !File.Exists(Path.Combine(request.BaseModel, "config.json")))
                throw new UsageException($"--base-model {request.BaseModel}: not a checkpoint folder (no config.json); use \"{BaseModelLocator.LocalBase}\" for the local tiny model");
            var inMemory = parse.GetValue(transport)!.ToLowerInvariant() switch
            {
                "in-memory" or "inmemory" => true,
                "rabbitmq" => false,
                var other => throw new UsageException($"unknown transport '{other}' (use in-memory or rabbitmq)"),
            };
            if (inMemory)
                TorchRuntime.EnsureLoaded();

            var builder = PipelineHostBuilder.Create(inMemory ? HostRole.Server : HostRole.Client,
                parse.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning,
                new Dictionary<string, string?> { ["Bus:Transport"] = inMemory ? nameof(BusTransport.InMemory) : nameof(BusTransport.RabbitMQ) });
            builder.TrustTrustedFolders(request);
            builder.Services.AddSingleton<ITrainingProgressSink, ConsoleProgressSink>();
            builder.AddPrometheusEndpoint();
            using var host = builder.Build();
            await host.StartAsync(cancellationToken);
            try
            {
                var sink = host.Services.GetRequiredService<ITrainingProgressSink>();
                if (inMemory)
                {
                    var plugins = host.Services.GetRequiredService<PluginCatalog>().All;
                    sink.Message($"plugins: {(plugins.Count == 0 ? "none" : string.Join(", ", plugins.Select(p => $"{p.Name} ({string.Join(",", p.Roles)})")))}");
                }
                var outcome = await RunFollower.PublishAndFollowAsync(host.Services.GetRequiredService<IBus>(), request, sink, cancellationToken);
                if (inMemory && outcome is FineTuneCompleted)
                {
                    // The compressors take the best checkpoint once the run ends: wait for them, so the report lists what they made.
                    if (!await host.Services.GetRequiredService<RunAftermath>().WaitAsync(request.RunId, TimeSpan.FromMinutes(30), cancellationToken))
                        sink.Message("compressing the best checkpoint took over 30 minutes; the report lists what was finished");
                }
                return Report(outcome, request, parse.GetValue(json));
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        });
        return command;
    }

    private static bool LooksLikePath(string dataset) =>
        dataset.Contains(Path.DirectorySeparatorChar) || dataset.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);

    private static int Report(object outcome, StartFineTune request, bool json)
    {
        var runDirectory = RunStore.RunDirectory(request.RunsDirectory, request.RunId);
        var run = RunStore.TryLoad(runDirectory);
        if (json && run is not null)
            CliOutput.WriteJson(RunReport.Build(run));
        else if (run is not null)
            EpochTable.Print(run);

        switch (outcome)
        {
            case FineTuneCompleted done:
                if (!json)
                {
                    Console.WriteLine($"report: {done.ReportPath}\nbest checkpoint: {done.BestCheckpoint.Path} (epoch {done.BestEpoch})" +
                                      (done.StoppedAtEpoch is { } stopped ? $"\nstopped after epoch {stopped}: {done.StopReason}" : ""));
                    foreach (var compressed in run?.Compressed ?? [])
                        Console.WriteLine($"compressed ({compressed.Method}, {compressed.Ratio:0.00}× smaller{(compressed.ValPpl is { } ppl ? $", val ppl {ppl:0.00}" : "")}): {compressed.Path}");
                }
                return ExitCodes.Success;
            case FineTuneFailed failed:
                CliOutput.Error($"run {failed.RunId} failed: {failed.Reason}");
                return ExitCodes.Failure;
            default:
                throw new InvalidOperationException("unexpected outcome");
        }
    }
}
