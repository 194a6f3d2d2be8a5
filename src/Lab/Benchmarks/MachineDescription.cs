using System.Runtime.InteropServices;

namespace Pipeline.Lab.Benchmarks;

/// <summary>Figures mean little without the machine they came from.</summary>
public static class MachineDescription
{
    public static string Current() =>
        $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
}
