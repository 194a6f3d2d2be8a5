using System.CommandLine;
using Microsoft.Extensions.Options;
using Pipeline.Node.Hosting;
using Pipeline.Node.Torch;

namespace Pipeline.Host.Cli;

/// <summary>The `pipeline` command tree.</summary>
public static class PipelineCli
{
    public static RootCommand Create()
    {
        var root = new RootCommand(
            "Pipeline governs language-model fine-tuning: it watches every epoch for memorisation and stops or regularises " +
            "training before it happens, carries out GDPR erasure requests with evidence, and compresses checkpoints.\n" +
            "Configuration: appsettings.json and PIPELINE__* environment variables (for example PIPELINE__Bus__Transport=RabbitMQ).");
        root.Subcommands.Add(FineTuneCommand.Create());
        root.Subcommands.Add(PretrainCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(UnlearnCommand.Create());
        root.Subcommands.Add(LedgerCommand.Create());
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(CompressCommand.Create());
        root.Subcommands.Add(PluginsCommand.Create());
        root.Subcommands.Add(HealthCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ExperimentCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        return root;
    }

    /// <summary>Parses and runs; exit 0 on success, 2 on bad usage or input (one-line reason), 1 on failure.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                CliOutput.Error(error.Message);
            Console.Error.WriteLine("Run 'pipeline --help' (or 'pipeline COMMAND --help') for usage.");
            return ExitCodes.BadUsage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                // SIGTERM/Ctrl-C cancel the command's token; the host then finishes or hands back its work. The
                // default 2 s before a forced exit would cut that short.
                ProcessTerminationTimeout = NodeShutdown.Grace,
            });
        }
        catch (Exception usage) when (usage is UsageException or SettingException)
        {
            CliOutput.Error(usage.Message);
            return ExitCodes.BadUsage;
        }
        catch (Exception settings) when (SettingFailures(settings) is { Count: > 0 } failures)
        {
            // Settings the node cannot use (checked as the host starts): each failure names its key.
            CliOutput.Error(string.Join("; ", failures));
            return ExitCodes.BadUsage;
        }
        catch (Exception badInput) when (badInput is Pipeline.Modelling.Checkpoints.CheckpointException or Pipeline.Modelling.Data.DataFormatException
                                             or Pipeline.Modelling.Data.DatasetNotFoundException)
        {
            // A corrupt or missing checkpoint, a malformed data file, an unknown data set: the input is wrong, not the program.
            CliOutput.Error(badInput.Message.ReplaceLineEndings(" "));
            return ExitCodes.BadUsage;
        }
        catch (OperationCanceledException)
        {
            CliOutput.Error("cancelled");
            return ExitCodes.Failure;
        }
        catch (Exception failure)
        {
            CliOutput.Error(OneLine(failure));
            if (Environment.GetEnvironmentVariable("PIPELINE_DEBUG") == "1")
                Console.Error.WriteLine(failure);
            return ExitCodes.Failure;
        }
    }

    /// <summary>The failures of start-up validation (one section's, or several sections' in an AggregateException).</summary>
    private static List<string> SettingFailures(Exception exception) => exception switch
    {
        OptionsValidationException one => one.Failures.ToList(),
        AggregateException all when all.InnerExceptions.All(e => e is OptionsValidationException) =>
            all.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList(),
        _ => [],
    };

    private static string OneLine(Exception failure) =>
        failure.Message.ReplaceLineEndings(" ") + (failure is TorchLoadException ? "" : " (set PIPELINE_DEBUG=1 for the stack trace)");
}
