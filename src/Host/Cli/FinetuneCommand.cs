using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Host.Demo;
using Pipeline.Host.Hosting;
using Pipeline.Host.Native;
using Pipeline.Host.Plugins;

namespace Pipeline.Host.Cli;

/// <summary>`pipeline finetune`: the main job. For now a demonstration of the governed event flow (see EventFlowDemo).</summary>
public static class FinetuneCommand
{
    public static Command Create()
    {
        var epochs = new Option<int>("--epochs") { Description = "Epochs to run.", DefaultValueFactory = _ => 5 };
        var runs = new Option<string>("--runs-dir") { Description = "Where runs/<run-id>/ is written.", DefaultValueFactory = _ => "runs" };
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var command = new Command("finetune",
            "Fine-tune with governance on the embedded bus and write runs/<run-id>/report.json. Until the TorchSharp worker lands " +
            "(issue 3) this runs a short demonstration of the event flow with synthetic losses, and says so.")
        {
            epochs, runs, json, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(epochs) < 1) throw new UsageException("--epochs must be at least 1");
            TorchRuntime.EnsureLoaded();
            CliOutput.Progress("finetune: DEMONSTRATION of the event flow on the in-memory bus (synthetic losses; the TorchSharp worker lands with issue 3)");
            var builder = PipelineHostBuilder.Create(HostRole.Server, parse.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning,
                new Dictionary<string, string?> { ["Bus:Transport"] = "InMemory" });
            using var host = builder.Build();
            await host.StartAsync(cancellationToken);
            try
            {
                var plugins = host.Services.GetRequiredService<PluginCatalog>().All;
                CliOutput.Progress($"finetune: plugins: {(plugins.Count == 0 ? "none" : string.Join(", ", plugins.Select(p => $"{p.Name} ({string.Join(",", p.Roles)})")))}");
                var (path, report) = await EventFlowDemo.RunAsync(host, parse.GetValue(runs)!, parse.GetValue(epochs), cancellationToken);
                if (parse.GetValue(json))
                    CliOutput.WriteJson(report);
                else
                    Console.WriteLine($"report: {Path.GetFullPath(path)}");
                return ExitCodes.Success;
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        });
        return command;
    }
}
