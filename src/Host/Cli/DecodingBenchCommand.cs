using System.CommandLine;
using Pipeline.Lab.Benchmarks;
using Pipeline.Lab.Benchmarks.Erasure;
using Pipeline.Lab.Benchmarks.Models;
using Pipeline.Node.Torch;

namespace Pipeline.Host.Cli;

/// <summary>`pipeline bench decoding` on the fixed reference configuration.</summary>
public static class DecodingBenchCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("decoding", "Greedy decoding of the reference model: batch 32, 32-token prefixes, 64 new tokens, with and without the KV cache.")
        {
            json,
        };
        command.SetAction(parse =>
        {
            TorchRuntime.EnsureLoaded();
            CliOutput.Progress("bench decoding: batch 32, prefix 32, 64 new tokens");
            var r = DecodingBenchmark.Run();
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(new
                {
                    cached_tokens_per_second = Math.Round(r.CachedTokensPerSecond, 1),
                    uncached_tokens_per_second = Math.Round(r.UncachedTokensPerSecond, 1),
                    speedup = Math.Round(r.Speedup, 2),
                    identical_tokens = r.IdenticalTokens,
                    machine = MachineDescription.Current(),
                });
                return ExitCodes.Success;
            }
            Console.WriteLine($"decoding benchmark on {MachineDescription.Current()}");
            Console.WriteLine($"  cached {r.CachedTokensPerSecond:0} tokens/s, uncached {r.UncachedTokensPerSecond:0} tokens/s, speed-up {r.Speedup:0.0}x, identical tokens: {r.IdenticalTokens}");
            return ExitCodes.Success;
        });
        return command;
    }
}
