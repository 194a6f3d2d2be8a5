using System.Text.RegularExpressions;

namespace Pipeline.Node.Torch;

/// <summary>The device names a setting may hold: auto, cpu, cuda or cuda:N (whether CUDA is there is checked at start-up).</summary>
public static partial class DeviceNames
{
    public static bool IsValid(string name) => Pattern().IsMatch(name.Trim());

    [GeneratedRegex("^(auto|cpu|cuda(:[0-9]+)?)$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
