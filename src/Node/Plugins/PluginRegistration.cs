using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using Pipeline.Node.Hosting;

namespace Pipeline.Node.Plugins;

public static class PluginRegistration
{
    /// <summary>Plugin loading (Plugins:*): the catalog loads lazily, on first use.</summary>
    public static IHostApplicationBuilder AddPipelinePlugins(this IHostApplicationBuilder builder)
    {
        builder.AddSettings<PluginOptions>(PluginOptions.Section);
        builder.Services.AddSingleton<PluginCatalog>();
        builder.Services.AddSingleton<PluginInvoker>();
        return builder;
    }
}
