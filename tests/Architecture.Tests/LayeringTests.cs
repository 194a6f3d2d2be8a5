namespace Pipeline.Architecture.Tests;

/// <summary>
/// Who may use whom: Contracts nothing of ours; Modelling Contracts only, never the bus; Data the libraries below it;
/// a plugin Contracts, Modelling and Data only; the node never the lab or the executable; the lab never the executable.
/// Each rule fails when the project's built assembly references, or its project file declares, what it may not.
/// </summary>
public sealed class LayeringTests
{
    public static TheoryData<string> Plugins => [.. Layering.PluginNames];

    [Fact]
    public void Contracts_references_no_project_of_ours() =>
        AssertUsesNone("Contracts", ours: _ => true);

    [Fact]
    public void Modelling_references_neither_the_node_the_lab_the_data_clients_the_executable_nor_masstransit()
    {
        AssertUsesNone("Modelling", ours: p => p is "Node" or "Lab" or "Host" or "Data" || Layering.PluginNames.Contains(p));
        Assert.DoesNotContain(Layering.ReferencedAssemblies("Modelling"), a => a.StartsWith("MassTransit", StringComparison.Ordinal));
    }

    [Fact]
    public void Data_references_neither_the_node_the_lab_the_executable_nor_masstransit()
    {
        AssertUsesNone("Data", ours: p => p is "Node" or "Lab" or "Host" || Layering.PluginNames.Contains(p));
        Assert.DoesNotContain(Layering.ReferencedAssemblies("Data"), a => a.StartsWith("MassTransit", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Plugins))]
    public void A_plugin_references_neither_the_node_the_lab_nor_the_executable(string plugin) =>
        AssertUsesNone(plugin, ours: p => p is "Node" or "Lab" or "Host" || (Layering.PluginNames.Contains(p) && p != plugin));

    [Fact]
    public void The_node_references_neither_the_lab_nor_the_executable() =>
        AssertUsesNone("Node", ours: p => p is "Lab" or "Host" || Layering.PluginNames.Contains(p));

    [Fact]
    public void The_lab_does_not_reference_the_executable() =>
        AssertUsesNone("Lab", ours: p => p is "Host" || Layering.PluginNames.Contains(p));

    [Fact]
    public void The_rules_read_real_references_the_lab_uses_the_node_and_the_executable_uses_the_lab()
    {
        // Without this, a reader that found nothing would pass every rule above.
        Assert.Contains("Pipeline.Node", Layering.ReferencedAssemblies("Lab"));
        Assert.Contains("Pipeline.Lab", Layering.ReferencedAssemblies("Host"));
        Assert.Contains("Node", Layering.DeclaredProjects("Lab"));
        Assert.Contains("Contracts", Layering.DeclaredProjects("Memorisation"));
        Assert.Contains("MassTransit", Layering.ReferencedAssemblies("Node"));
        Assert.NotEmpty(Layering.PluginNames);
    }

    [Fact]
    public void The_executable_holds_commands_and_the_composition_root_only()
    {
        // src/Host is the `pipeline` executable: its code lives under Cli/ (commands, their options and printing) and
        // Program.cs; everything else belongs to the node, the lab or the libraries.
        var host = Path.Combine(Layering.RepositoryRoot, "src", "Host");
        var strays = Directory.GetFiles(host, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(host, f))
            .Where(f => !f.StartsWith("bin" + Path.DirectorySeparatorChar) && !f.StartsWith("obj" + Path.DirectorySeparatorChar))
            .Where(f => f != "Program.cs" && !f.StartsWith("Cli" + Path.DirectorySeparatorChar))
            .ToList();
        Assert.Empty(strays);
    }

    private static void AssertUsesNone(string project, Func<string, bool> ours)
    {
        var referenced = Layering.ReferencedAssemblies(project).Select(a => (Assembly: a, Project: Layering.ProjectOf(a)))
            .Where(r => r.Project is not null && r.Project != project && ours(r.Project)).Select(r => r.Assembly).ToList();
        Assert.True(referenced.Count == 0, $"{project} references {string.Join(", ", referenced)}");
        var declared = Layering.DeclaredProjects(project).Where(p => p != project && ours(p)).ToList();
        Assert.True(declared.Count == 0, $"{project}'s project file declares {string.Join(", ", declared)}");
    }
}
