using Pipeline.Modelling.Models;
using TorchSharp;

namespace Pipeline.Modelling.Tests.Models;

[Collection(TorchCollection.Name)]
public sealed class DeviceSelectorTests
{
    [Fact]
    public void Cpu_and_auto_resolve_to_the_cpu_on_a_machine_without_cuda()
    {
        Assert.Equal(DeviceType.CPU, DeviceSelector.Resolve("cpu").type);
        if (!torch.cuda.is_available())
            Assert.Equal(DeviceType.CPU, DeviceSelector.Resolve("auto").type);
    }

    [Fact]
    public void Cuda_without_a_gpu_and_unknown_names_are_errors()
    {
        if (!torch.cuda.is_available())
            Assert.Throws<InvalidOperationException>(() => DeviceSelector.Resolve("cuda"));
        Assert.Throws<ArgumentException>(() => DeviceSelector.Resolve("tpu"));
    }
}
