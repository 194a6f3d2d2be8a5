using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Messages;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Hosting;
using Pipeline.Node.Storage;
using Pipeline.Contracts.Runs;

namespace Pipeline.Lab.Experiments;

/// <summary>
/// One governed fine-tuning run inside this process, on the in-memory bus, with the given plugins and settings —
/// the same worker, consumers and plugins as `pipeline finetune`. Experiments compare methods through it.
/// </summary>
public static class InProcessFineTune
{
    public static async Task<RunRecord> RunAsync(StartFineTune request, string pluginDirectory, IDictionary<string, string?> settings,
        ITrainingProgressSink sink, CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<string, string?>(settings)
        {
            ["Bus:Transport"] = "InMemory",
            ["Plugins:Directory"] = pluginDirectory,
            ["Plugins:HotReload"] = "false",
        };
        var builder = PipelineHostBuilder.Create(HostRole.Server, LogLevel.Warning, overrides);
        builder.TrustTrustedFolders(request);
        builder.Services.AddSingleton(sink);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var outcome = await RunFollower.PublishAndFollowAsync(host.Services.GetRequiredService<IBus>(), request, sink, cancellationToken);
            if (outcome is FineTuneFailed failed)
                throw new InvalidOperationException($"run {failed.RunId} failed: {failed.Reason}");
            return RunStore.TryLoad(RunStore.RunDirectory(request.RunsDirectory, request.RunId))!;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>A plugin directory holding only the named bundled plugins (plugins/&lt;Name&gt;/ beside the executable).</summary>
    public static string PluginSelection(string workDirectory, params string[] bundledPlugins)
    {
        var directory = Path.Combine(workDirectory, "plugins");
        foreach (var name in bundledPlugins)
        {
            var source = Path.Combine(AppContext.BaseDirectory, "plugins", name);
            if (!Directory.Exists(source))
                throw new DirectoryNotFoundException($"bundled plugin {name} is missing from {source}: rebuild the host");
            var target = Path.Combine(directory, name);
            Directory.CreateDirectory(target);
            foreach (var file in Directory.EnumerateFiles(source))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
        return directory;
    }
}
