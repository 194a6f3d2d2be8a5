using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Hosting;
using Pipeline.Node.Torch;
using Pipeline.Node.Pretraining;

namespace Pipeline.Host.Cli;

/// <summary>`pipeline pretrain`: build (or find in the cache) the tiny local base model.</summary>
public static class PretrainCommand
{
    public static Command Create()
    {
        var tokens = new Option<long>("--tokens") { Description = "Training token budget.", DefaultValueFactory = _ => new BaseModelSpec().TokenBudget };
        var precision = new Option<string>("--precision") { Description = "auto, float32 or bfloat16.", DefaultValueFactory = _ => "auto" };
        var json = CommonOptions.Json();
        var command = new Command("pretrain",
            "Pretrain the tiny base model (GPT-NeoX d=256, 4 layers, compact GPT-2 vocabulary of 4096) on sotu + moby-dick, " +
            "or find it in the cache ($XDG_CACHE_HOME/pipeline/models), keyed by the hash of its corpora and settings.")
        {
            tokens, precision, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(tokens) < 1000) throw new UsageException("--tokens must be at least 1000");
            if (parse.GetValue(precision) is not ("auto" or "float32" or "bfloat16")) throw new UsageException("--precision must be auto, float32 or bfloat16");
            TorchRuntime.EnsureLoaded();
            var builder = PipelineHostBuilder.Create(HostRole.Client, Microsoft.Extensions.Logging.LogLevel.Warning);
            builder.Services.AddSingleton<ITrainingProgressSink, ConsoleProgressSink>();
            using var services = builder.Services.BuildServiceProvider();
            var sink = services.GetRequiredService<ITrainingProgressSink>();
            var built = await services.GetRequiredService<BaseModelBuilder>().EnsureBuiltAsync(
                new BaseModelSpec { TokenBudget = parse.GetValue(tokens), Precision = parse.GetValue(precision)! }, sink.Message, cancellationToken);
            var s = built.Summary;
            if (parse.GetValue(json))
                CliOutput.WriteJson(new { built.Folder, built.FromCache, Summary = s });
            else
                Console.WriteLine($"base model: {built.Folder}{(built.FromCache ? " (cached)" : "")}\n" +
                                  $"  {s.Tokens:N0} tokens in {s.Steps} steps, {s.Seconds:0} s ({s.Precision}); train loss {s.TrainLoss:0.000}, " +
                                  $"validation loss {s.ValLoss:0.000} (ppl {s.ValPerplexity:0.0}); vocabulary {s.VocabularySize}");
            return ExitCodes.Success;
        });
        return command;
    }
}
