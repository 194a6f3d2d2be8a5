using TorchSharp;

namespace Pipeline.Modelling.Models;

/// <summary>
/// "auto" trains in bfloat16 mixed precision where the hardware computes bf16 natively (CUDA, or a CPU with
/// AVX-512 BF16 or AMX), else in float32; "float32" and "bfloat16" force the choice.
/// </summary>
public static class PrecisionChoice
{
    public static ComputePrecision Resolve(string choice, torch.Device device) => choice switch
    {
        "float32" => ComputePrecision.Float32,
        "bfloat16" => ComputePrecision.BFloat16,
        _ => device.type == DeviceType.CUDA || CpuHasNativeBFloat16() ? ComputePrecision.BFloat16 : ComputePrecision.Float32,
    };

    public static bool CpuHasNativeBFloat16()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
            return false;
        var flags = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) ?? "";
        return flags.Contains(" avx512_bf16", StringComparison.Ordinal) || flags.Contains(" amx_bf16", StringComparison.Ordinal);
    }
}
