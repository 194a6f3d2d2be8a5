namespace Pipeline.Node.Hosting;

/// <summary>Which worker this is (configuration "Node:Name"), so outcomes and the ledger say who did the work.</summary>
public sealed record NodeIdentity(string Name)
{
    public static NodeIdentity FromConfiguration(string? configured) =>
        new(string.IsNullOrWhiteSpace(configured) ? $"{Environment.MachineName}-{Environment.ProcessId}" : configured);
}
