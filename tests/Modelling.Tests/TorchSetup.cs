namespace Pipeline.Modelling.Tests;

/// <summary>Model tests run one at a time on the CPU: TorchSharp's global seed and thread settings are process-wide.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "TorchSharp (process-wide state)";
}
