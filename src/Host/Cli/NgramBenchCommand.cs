using System.CommandLine;
using Pipeline.Lab.Benchmarks;
using Pipeline.Lab.Benchmarks.Erasure;
using Pipeline.Lab.Benchmarks.Models;

namespace Pipeline.Host.Cli;

/// <summary>`pipeline bench ngram`: n-gram memorisation scoring throughput on one thread, generation excluded.</summary>
public static class NgramBenchCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var length = new Option<int>("--length") { Description = "Tokens per generated sequence and per target.", DefaultValueFactory = _ => 32 };
        var seconds = new Option<double>("--seconds") { Description = "Least timed seconds (whole passes over the pairs, after one warm-up pass).", DefaultValueFactory = _ => 1.0 };
        var command = new Command("ngram",
            "Throughput of the n-gram memorisation score (N = {2, 3, 4}) on one thread: synthetic output/target pairs over a " +
            "4,096-token vocabulary, each output token copying the target's with probability 0.5; generated tokens scored per second.")
        {
            json, length, seconds,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(length) < 1) throw new UsageException("--length must be at least 1");
            if (!(parse.GetValue(seconds) > 0)) throw new UsageException("--seconds must be positive");
            CliOutput.Progress($"bench ngram: length {parse.GetValue(length)}, N = {{2, 3, 4}}, at least {parse.GetValue(seconds)} s");
            var r = NgramBenchmark.Run(new NgramBenchmarkOptions { Length = parse.GetValue(length), MinimumSeconds = parse.GetValue(seconds) });
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(new
                {
                    tokens_per_second = Math.Round(r.TokensPerSecond, 1),
                    tokens = r.Tokens,
                    seconds = Math.Round(r.Seconds, 4),
                    length = r.Length,
                    pairs = r.Pairs,
                    ngram_sizes = r.NgramSizes,
                    mean_score = Math.Round(r.MeanScore, 4),
                    machine = MachineDescription.Current(),
                });
                return ExitCodes.Success;
            }
            Console.WriteLine($"n-gram scoring benchmark on {MachineDescription.Current()}");
            Console.WriteLine($"  length {r.Length}, N = {{{string.Join(", ", r.NgramSizes)}}}: {r.TokensPerSecond / 1e6:0.00} M tokens/s " +
                $"({r.Tokens:N0} tokens in {r.Seconds:0.000} s, mean score {r.MeanScore:0.000})");
            return ExitCodes.Success;
        });
        return command;
    }
}
