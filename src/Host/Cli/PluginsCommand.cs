using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Configuration;
using Pipeline.Node.Hosting;
using Pipeline.Node.Plugins;

namespace Pipeline.Host.Cli;

/// <summary>`pipeline plugins`: what is in Plugins:Directory, and what failed to load.</summary>
public static class PluginsCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("plugins", "List the plugins found in Plugins:Directory: name, role, version, file; and load errors.") { json };
        command.SetAction(parse =>
        {
            var builder = PipelineHostBuilder.Create(HostRole.Client, Microsoft.Extensions.Logging.LogLevel.Warning);
            var options = builder.Configuration.GetSection(PluginOptions.Section).Get<PluginOptions>() ?? new PluginOptions();
            options.HotReload = false;
            using var catalog = new PluginCatalog(Options.Create(options), NullLogger<PluginCatalog>.Instance);
            var plugins = catalog.All.Select(p => new { p.Name, Role = string.Join(",", p.Roles), p.Version, p.File }).ToList();
            var errors = catalog.Errors.Select(e => new { Folder = e.Key, Error = e.Value }).ToList();

            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(new { Directory = catalog.DirectoryPath, Plugins = plugins, Errors = errors });
            }
            else
            {
                Console.WriteLine($"plugins in {catalog.DirectoryPath}:");
                if (plugins.Count == 0)
                    Console.WriteLine("  (none)");
                foreach (var p in plugins)
                    Console.WriteLine($"  {p.Name,-24} {p.Role,-22} {p.Version,-12} {p.File}");
                foreach (var e in errors)
                    Console.WriteLine($"  {e.Folder,-24} NOT LOADED: {e.Error}");
            }
            return errors.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
