using Pipeline.Contracts.Plugins;

namespace Pipeline.Node.Plugins;

/// <summary>One plugin instance, the assembly it came from, and the roles it plays.</summary>
public sealed record LoadedPlugin(IPipelinePlugin Instance, string Version, string File, IReadOnlyList<string> Roles)
{
    public string Name => Instance.Name;

    public static IReadOnlyList<string> RolesOf(IPipelinePlugin plugin)
    {
        var roles = new List<string>();
        if (plugin is IEpochScorer) roles.Add("epoch-scorer");
        if (plugin is ITrainingPolicy) roles.Add("training-policy");
        if (plugin is IForgetter) roles.Add("forgetter");
        if (plugin is ICheckpointCompressor) roles.Add("checkpoint-compressor");
        return roles;
    }
}
