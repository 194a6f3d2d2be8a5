using Pipeline.Node.Hosting;

namespace Pipeline.Node.Torch;

/// <summary>
/// Configuration section "Torch": the device the host trains and scores on — auto (CUDA when libtorch sees a GPU,
/// else the CPU), cpu, cuda or cuda:N. FineTune:Device, when set, overrides it for the fine-tuning worker; plugins
/// keep their own Device settings (cpu by default, so they do not compete with training for the GPU).
/// </summary>
public sealed class TorchOptions : ICheckedSettings
{
    public const string Section = "Torch";

    public string Device { get; set; } = "auto";

    public IEnumerable<(string Key, string Reason)> Problems()
    {
        if (!DeviceNames.IsValid(Device))
            yield return (nameof(Device), $"'{Device}' is not auto, cpu, cuda or cuda:N");
    }
}
