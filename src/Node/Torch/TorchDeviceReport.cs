using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Modelling.Models;
using Pipeline.Node.FineTuning;

namespace Pipeline.Node.Torch;

/// <summary>
/// At start-up, says which device this node computes on and why — the first thing an operator of a GPU server wants
/// to see — and stops the node with the reason when the configured device cannot be had (cuda on a CPU build).
/// </summary>
public sealed class TorchDeviceReport(IOptions<TorchOptions> torch, IOptions<FineTuneOptions> fineTune, ILogger<TorchDeviceReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        TorchRuntime.EnsureLoaded();
        // FineTune:Device was filled from Torch:Device when not set (see TorchRegistration).
        var setting = fineTune.Value.Device!;
        var source = string.Equals(setting, torch.Value.Device, StringComparison.Ordinal)
            ? $"{TorchOptions.Section}:Device={setting}"
            : $"{FineTuneOptions.Section}:Device={setting}";
        var (device, why) = DeviceSelector.Explain(setting);
        logger.LogInformation("Torch device {Device} ({Source}; {Why})", device, source, why);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
