using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Pipeline.Architecture.Tests;

/// <summary>
/// The projects and what each is built from: the assemblies as the executable ships them (src/Host's build output,
/// plugins under plugins/) and the project files. Assembly references list only what the compiler kept (what the code
/// uses); project files list what is declared. The rules check both.
/// </summary>
public static class Layering
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>src/Host's build output for the configuration these tests were built in (Release or Debug).</summary>
    public static string ExecutableFolder { get; } = Path.Combine(RepositoryRoot, "src", "Host",
        Path.GetRelativePath(Path.Combine(RepositoryRoot, "tests", "Architecture.Tests"), AppContext.BaseDirectory));

    public static IReadOnlyList<string> PluginNames { get; } =
        Directory.GetDirectories(Path.Combine(RepositoryRoot, "src", "Plugins")).Select(Path.GetFileName).OfType<string>().Order().ToList();

    /// <summary>The assembly file of a project: pipeline.dll for Host, Pipeline.X.dll for the libraries, plugins/X/X.dll.</summary>
    public static string AssemblyFile(string project) => project switch
    {
        "Host" => Path.Combine(ExecutableFolder, "pipeline.dll"),
        _ when PluginNames.Contains(project) => Path.Combine(ExecutableFolder, "plugins", project, project + ".dll"),
        _ => Path.Combine(ExecutableFolder, $"Pipeline.{project}.dll"),
    };

    /// <summary>The names of the assemblies a built assembly references.</summary>
    public static IReadOnlyList<string> ReferencedAssemblies(string project)
    {
        var file = AssemblyFile(project);
        Assert.True(File.Exists(file), $"{file} is not built (build src/Host first)");
        using var stream = File.OpenRead(file);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).Order().ToList();
    }

    /// <summary>The projects a project file declares (ProjectReference), by the name of their folder.</summary>
    public static IReadOnlyList<string> DeclaredProjects(string project)
    {
        var folder = PluginNames.Contains(project) ? Path.Combine(RepositoryRoot, "src", "Plugins", project) : Path.Combine(RepositoryRoot, "src", project);
        var projectFile = Assert.Single(Directory.GetFiles(folder, "*.csproj"));
        return XDocument.Load(projectFile).Descendants("ProjectReference")
            .Select(r => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(Path.Combine(folder, r.Attribute("Include")!.Value)))!))
            .OfType<string>().Order().ToList();
    }

    /// <summary>The project an assembly name belongs to, or null when it is not ours.</summary>
    public static string? ProjectOf(string assemblyName) => assemblyName switch
    {
        "pipeline" => "Host",
        _ when assemblyName.StartsWith("Pipeline.", StringComparison.Ordinal) => assemblyName["Pipeline.".Length..],
        _ when PluginNames.Contains(assemblyName) => assemblyName,
        _ => null,
    };

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Pipeline.sln")))
                return folder.FullName;
        throw new InvalidOperationException($"no Pipeline.sln above {AppContext.BaseDirectory}");
    }
}
