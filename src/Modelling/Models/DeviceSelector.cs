using TorchSharp;

namespace Pipeline.Modelling.Models;

/// <summary>Turns the configured device name (<c>auto|cpu|cuda|cuda:N</c>) into a TorchSharp device.</summary>
public static class DeviceSelector
{
    /// <summary>auto picks CUDA when libtorch sees a GPU, else the CPU; naming cuda without one is an error.</summary>
    public static torch.Device Resolve(string name)
    {
        var normalised = name.Trim().ToLowerInvariant();
        switch (normalised)
        {
            case "auto":
                return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
            case "cpu":
                return torch.CPU;
        }

        if (normalised == "cuda" || normalised.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new InvalidOperationException(
                    $"device '{name}' requested but CUDA is not available (this libtorch build or machine has no GPU)");
            return torch.device(normalised);
        }

        throw new ArgumentException($"device '{name}' is not one of auto, cpu, cuda, cuda:N", nameof(name));
    }

    /// <summary>The device a setting resolves to and why, in words for the start-up log.</summary>
    public static (torch.Device Device, string Why) Explain(string name)
    {
        var device = Resolve(name);
        var gpus = torch.cuda.is_available() ? torch.cuda.device_count() : 0;
        var why = name.Trim().ToLowerInvariant() switch
        {
            "auto" when gpus > 0 => $"auto: CUDA is available with {gpus} GPU(s)",
            "auto" => "auto: CUDA is not available (a CPU build of libtorch, or no GPU or driver)",
            "cpu" => "configured",
            _ => $"configured; CUDA is available with {gpus} GPU(s)",
        };
        return (device, why);
    }
}
