using System.CommandLine;
using Pipeline.Modelling.Models;
using Pipeline.Lab.Benchmarks;
using Pipeline.Lab.Benchmarks.Erasure;
using Pipeline.Lab.Benchmarks.Models;
using Pipeline.Node.Torch;

namespace Pipeline.Host.Cli;

/// <summary>`pipeline bench training` on the fixed reference configuration.</summary>
public static class TrainingBenchCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var steps = new Option<int>("--steps") { Description = "Timed optimizer steps per precision (after 3 warm-up steps).", DefaultValueFactory = _ => 20 };
        var threads = new Option<int>("--threads") { Description = "TorchSharp threads.", DefaultValueFactory = _ => ReferenceModel.Threads };
        var command = new Command("training",
            "Training throughput of the reference configuration (GPT-NeoX d=256, 4 layers, 4 heads, rotary 25%, MLP 4x, vocabulary 4096, " +
            "context 128, batch 16, AdamW) in float32 and bfloat16 mixed precision: tokens/s, FLOP/s, the measured matmul ceiling, MFU.")
        {
            json, steps, threads,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(steps) < 1) throw new UsageException("--steps must be at least 1");
            TorchRuntime.EnsureLoaded();
            CliOutput.Progress($"bench training: {parse.GetValue(steps)} timed steps per precision, {parse.GetValue(threads)} threads");
            var results = TrainingBenchmark.Run(new TrainingBenchmarkOptions { TimedSteps = parse.GetValue(steps), Threads = parse.GetValue(threads) });
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(results.ToDictionary(r => Key(r.Precision), r => (object)new
                {
                    tokens_per_second = Math.Round(r.TokensPerSecond, 1),
                    flops_per_second = r.AchievedFlopsPerSecond,
                    ceiling_flops_per_second = r.MatmulCeilingFlopsPerSecond,
                    mfu = Math.Round(r.Mfu, 4),
                    seconds_per_step = r.SecondsPerStep,
                    flops_per_token = r.FlopsPerToken,
                    parameters = r.Parameters,
                    first_loss = r.FirstLoss,
                    last_loss = r.LastLoss,
                    machine = MachineDescription.Current(),
                }));
                return ExitCodes.Success;
            }
            Console.WriteLine($"training benchmark on {MachineDescription.Current()}");
            Console.WriteLine($"  {"precision",-10} {"tokens/s",10} {"GFLOP/s",9} {"ceiling",9} {"MFU",7} {"loss",13}");
            foreach (var r in results)
                Console.WriteLine($"  {Key(r.Precision),-10} {r.TokensPerSecond,10:0} {r.AchievedFlopsPerSecond / 1e9,9:0.0} {r.MatmulCeilingFlopsPerSecond / 1e9,9:0.0} {r.Mfu,7:P1} {r.FirstLoss,6:0.00}→{r.LastLoss,-6:0.00}");
            if (results.Count == 2)
                Console.WriteLine($"  bfloat16/float32 speed-up: {results[1].TokensPerSecond / results[0].TokensPerSecond:0.00}x");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Key(ComputePrecision precision) => precision == ComputePrecision.BFloat16 ? "bfloat16" : "float32";
}
