using System.CommandLine;
using Pipeline.Modelling.Memorisation;
using Pipeline.Lab.Experiments.Compression;
using Pipeline.Lab.Experiments.Eupg;
using Pipeline.Lab.Experiments.MemorisationDynamics;
using Pipeline.Lab.Experiments.Mitigation;
using Pipeline.Node.Torch;

namespace Pipeline.Host.Cli;

/// <summary>`pipeline experiment NAME`: reproduce a seed result on this machine and print what comes out.</summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var command = new Command("experiment", "Reproduce a seed result on this machine: memorisation-dynamics, mitigation, eupg, compression, l2pf, clustering.");
        command.Subcommands.Add(CreateMemorisationDynamics());
        command.Subcommands.Add(CreateMitigation());
        command.Subcommands.Add(CreateEupg());
        command.Subcommands.Add(CreateCompression());
        command.Subcommands.Add(L2pfExperimentCommand.Create());
        command.Subcommands.Add(ClusteringExperimentCommand.Create());
        return command;
    }

    private static Command CreateCompression()
    {
        var defaults = new Pipeline.Lab.Experiments.Compression.CompressionExperimentOptions();
        var epochs = new Option<int>("--epochs") { Description = "Epochs of the run whose last checkpoint is compressed.", DefaultValueFactory = _ => defaults.Epochs };
        var fineTune = new Option<int>("--finetune-epochs") { Description = "Fine-tuning epochs after pruning.", DefaultValueFactory = _ => defaults.FineTuneEpochs };
        var sparsities = new Option<string>("--sparsities") { Description = "Comma-separated sparsities.", DefaultValueFactory = _ => string.Join(",", defaults.Sparsities) };
        var output = new Option<string>("--out") { Description = "Work folder for the runs and compressed checkpoints.", DefaultValueFactory = _ => "experiments" };
        var which = new Option<string>("--compress") { Description = "last (the last epoch, which memorised) or best (lowest validation loss).", DefaultValueFactory = _ => defaults.Compress };
        var json = CommonOptions.Json();
        var command = new Command("compression",
            "Compress one memorising fine-tuned model by every method (magnitude, random, OBD, Taylor, neurons, heads at each sparsity, fine-tuned; " +
            "fp16, bf16, int8) and train the structurally pruned architecture from scratch: bytes on disk, ratio, val ppl, verbatim rate, seconds.")
        {
            epochs, fineTune, sparsities, output, which, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            Pipeline.Lab.Experiments.Compression.CompressionExperimentOptions options;
            try
            {
                options = defaults with
                {
                    Epochs = parse.GetValue(epochs),
                    FineTuneEpochs = parse.GetValue(fineTune),
                    Compress = parse.GetValue(which)!,
                    Sparsities = parse.GetValue(sparsities)!.Split(',', StringSplitOptions.TrimEntries).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToList(),
                };
                options.Validate();
            }
            catch (Exception bad) when (bad is ArgumentException or FormatException)
            {
                throw new UsageException(bad.Message);
            }
            TorchRuntime.EnsureLoaded();
            var work = Path.GetFullPath(Path.Combine(parse.GetValue(output)!, $"compression-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));
            var report = await new Pipeline.Lab.Experiments.Compression.CompressionExperiment(options, new ConsoleProgressSink()).RunAsync(work, cancellationToken);
            return ExperimentOutput.Write(work, report, parse.GetValue(json), CompressionTable.Print);
        });
        return command;
    }

    private static Command CreateEupg()
    {
        var defaults = new EupgOptions();
        var datasets = new Option<string[]>("--datasets") { Description = $"Tabular data sets (default: {string.Join(", ", defaults.DataSets)}).", AllowMultipleArgumentsPerToken = true };
        var k = new Option<int>("--k") { Description = "k of k-anonymity (MDAV group size).", DefaultValueFactory = _ => defaults.K };
        var epsilon = new Option<double>("--epsilon") { Description = "ε of the Laplace mechanism, per attribute.", DefaultValueFactory = _ => defaults.Epsilon };
        var forget = new Option<double>("--forget") { Description = "Share of the training rows forgotten per repeat.", DefaultValueFactory = _ => defaults.ForgetFraction };
        var repeats = new Option<int>("--repeats") { Description = "Repeats (each with its own forget set and initial weights).", DefaultValueFactory = _ => defaults.Repeats };
        var seed = new Option<int>("--seed") { Description = "Seed of the split, the forget sets and the models.", DefaultValueFactory = _ => defaults.Seed };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs (retraining, EUPG phase 1, each SISA shard).", DefaultValueFactory = _ => defaults.Epochs };
        var fineTune = new Option<int>("--finetune-epochs") { Description = "EUPG fine-tuning epochs (phases 2 and 3).", DefaultValueFactory = _ => defaults.FineTuneEpochs };
        var batch = new Option<int>("--batch-size") { Description = "Mini-batch size (the EUPG code's 512; on these small sets an epoch is 1-2 steps).", DefaultValueFactory = _ => defaults.BatchSize };
        var json = CommonOptions.Json();
        var command = new Command("eupg",
            "EUPG on tabular data (German credit, breast cancer): retraining, SISA (5 shards × 10 slices), EUPG with k-anonymity (MDAV) and with ε-DP " +
            "(Laplace) learn a model, then forget a random 5% of the training rows; accuracy, membership-inference AUC on the forgotten rows " +
            "(against the attacks' noise floor) and seconds, before and after.")
        {
            datasets, k, epsilon, forget, repeats, seed, epochs, fineTune, batch, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new EupgOptions
            {
                DataSets = parse.GetValue(datasets) is { Length: > 0 } chosen ? chosen : defaults.DataSets,
                K = parse.GetValue(k),
                Epsilon = parse.GetValue(epsilon),
                ForgetFraction = parse.GetValue(forget),
                Repeats = parse.GetValue(repeats),
                Seed = parse.GetValue(seed),
                Epochs = parse.GetValue(epochs),
                FineTuneEpochs = parse.GetValue(fineTune),
                BatchSize = parse.GetValue(batch),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException bad)
            {
                throw new UsageException(bad.Message);
            }
            TorchRuntime.EnsureLoaded();
            var report = await new EupgExperiment(options, new ConsoleProgressSink()).RunAsync(cancellationToken);
            if (parse.GetValue(json))
                CliOutput.WriteJson(report);
            else
                EupgTable.Print(report);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateMitigation()
    {
        var seeds = new Option<int>("--seeds") { Description = "Seeds per method.", DefaultValueFactory = _ => 3 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per run.", DefaultValueFactory = _ => 16 };
        var output = new Option<string>("--out") { Description = "Work folder for the runs and data.", DefaultValueFactory = _ => "experiments" };
        var json = CommonOptions.Json();
        var command = new Command("mitigation",
            "Same data, seeds and epochs for none / goldfish / ngram (fixed λ) / ngram_tuned / early_stopping / ngram_early_stopping on " +
            "memorisation-prone fortunes (10% repeated ×5): final verbatim rate, n-gram score, val ppl, training time, and each against none.")
        {
            seeds, epochs, output, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(seeds) < 1) throw new UsageException("--seeds must be at least 1");
            if (parse.GetValue(epochs) < 2) throw new UsageException("--epochs must be at least 2");
            TorchRuntime.EnsureLoaded();
            var options = new MemorisationDynamicsOptions { Seeds = parse.GetValue(seeds), Epochs = parse.GetValue(epochs) };
            var work = Path.GetFullPath(Path.Combine(parse.GetValue(output)!, $"mitigation-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));
            var report = await new Pipeline.Lab.Experiments.Mitigation.MitigationExperiment(options, new ConsoleProgressSink()).RunAsync(work, cancellationToken);
            return ExperimentOutput.Write(work, report, parse.GetValue(json), MitigationTable.Print);
        });
        return command;
    }

    private static Command CreateMemorisationDynamics()
    {
        var quick = new Option<bool>("--quick") { Description = "16 epochs instead of 20 (3 seeds, both settings): under 15 minutes on a 2-core machine." };
        var seeds = new Option<int?>("--seeds") { Description = "Seeds per setting (default 3)." };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs per run (default 20, --quick 16)." };
        var output = new Option<string>("--out") { Description = "Work folder for the runs and data.", DefaultValueFactory = _ => "experiments" };
        var from = new Option<string?>("--from") { Description = "Analyse the runs of an earlier experiment (its work folder) instead of training again." };
        var delta = new Option<double>("--delta") { Description = "n-gram rule: δ above the running minimum.", DefaultValueFactory = _ => NgramEarlyStoppingRule.Default.Delta };
        var threshold = new Option<double>("--threshold") { Description = "n-gram rule: absolute threshold τ on the excess.", DefaultValueFactory = _ => NgramEarlyStoppingRule.Default.Threshold };
        var patience = new Option<int>("--patience") { Description = "n-gram rule: epochs the rise must last.", DefaultValueFactory = _ => NgramEarlyStoppingRule.Default.Patience };
        var json = CommonOptions.Json();
        var command = new Command("memorisation-dynamics",
            "Fine-tune the base model past its best validation loss on 300 fortunes of 32-63 tokens (and with 10% of them repeated 5 times), scoring memorisation " +
            "every epoch, over several seeds; report per epoch val ppl, verbatim rate and n-gram score (trained and held-out), and the findings: " +
            "(a) when memorisation rises vs when validation perplexity is best, (b) how far the n-gram score leads verbatim memorisation, " +
            "(c) stopping on the n-gram rule vs at best validation loss vs at the last epoch.")
        {
            quick, seeds, epochs, output, from, delta, threshold, patience, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = parse.GetValue(quick) ? MemorisationDynamicsOptions.Quick : new MemorisationDynamicsOptions();
            if (parse.GetValue(seeds) is { } s) options = options with { Seeds = s >= 1 ? s : throw new UsageException("--seeds must be at least 1") };
            if (parse.GetValue(epochs) is { } e) options = options with { Epochs = e >= 2 ? e : throw new UsageException("--epochs must be at least 2") };
            if (parse.GetValue(patience) < 1) throw new UsageException("--patience must be at least 1");
            var rule = new NgramEarlyStoppingRule(parse.GetValue(delta), parse.GetValue(threshold), parse.GetValue(patience));
            MemorisationDynamicsReport report;
            string work;
            if (parse.GetValue(from) is { } earlier)
            {
                work = Path.GetFullPath(earlier);
                if (!Directory.Exists(work)) throw new UsageException($"--from {work}: no such folder");
                report = MemorisationDynamicsExperiment.Analyse(work, rule);
            }
            else
            {
                TorchRuntime.EnsureLoaded();
                work = Path.GetFullPath(Path.Combine(parse.GetValue(output)!, $"memorisation-dynamics-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));
                report = await new MemorisationDynamicsExperiment(options, new ConsoleProgressSink()).RunAsync(work, rule, cancellationToken);
            }
            if (parse.GetValue(from) is null)
                Pipeline.Modelling.Storage.AtomicFile.WriteAllText(Path.Combine(work, "result.json"), System.Text.Json.JsonSerializer.Serialize(report, CliOutput.Json));
            if (parse.GetValue(json))
                CliOutput.WriteJson(report);
            else
                MemorisationDynamicsTable.Print(report);
            return ExitCodes.Success;
        });
        return command;
    }
}
