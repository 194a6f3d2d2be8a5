using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Hosting;

namespace Pipeline.Node.Torch;

public static class TorchRegistration
{
    /// <summary>Torch:Device, the default of FineTune:Device; servers log the device they use at start-up.</summary>
    public static IHostApplicationBuilder AddTorchDevice(this IHostApplicationBuilder builder, HostRole role)
    {
        builder.AddSettings<TorchOptions>(TorchOptions.Section);
        builder.Services.AddOptions<FineTuneOptions>().PostConfigure<IOptions<TorchOptions>>((fineTune, torch) => fineTune.Device ??= torch.Value.Device);
        if (role == HostRole.Server)
            builder.Services.AddHostedService<TorchDeviceReport>();
        return builder;
    }
}
