using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pipeline.Node.Plugins;

namespace Pipeline.Node.Health;

/// <summary>
/// Plugins: the load state of Plugins:Directory, as `pipeline plugins` reports it. A plugin folder that does not load
/// and has no earlier version in use is Unhealthy (its work is not being done); one whose new files failed while the
/// previous version stays in use, or a directory with no plugins at all, is Degraded. Each failure is named with its reason.
/// </summary>
public sealed class PluginsHealthCheck(PluginCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var loaded = catalog.All;
        var errors = catalog.Errors;
        var foldersInUse = loaded.Select(p => Path.GetFileName(Path.GetDirectoryName(p.File))).ToHashSet(StringComparer.Ordinal);
        var data = new Dictionary<string, object>
        {
            ["directory"] = catalog.DirectoryPath,
            ["loaded"] = loaded.Select(p => p.Name).ToList(),
            ["errors"] = errors.ToDictionary(e => e.Key, e => e.Value),
        };

        var notLoaded = errors.Keys.Where(folder => !foldersInUse.Contains(folder)).Order(StringComparer.Ordinal).ToList();
        var keptOld = errors.Keys.Where(foldersInUse.Contains).Order(StringComparer.Ordinal).ToList();
        if (notLoaded.Count > 0)
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"{notLoaded.Count} plugin(s) not loaded: {Describe(notLoaded, errors)}" + Loaded(loaded.Count), data: data));
        if (keptOld.Count > 0)
            return Task.FromResult(HealthCheckResult.Degraded(
                $"new files of {keptOld.Count} plugin(s) did not load, the previous version stays in use: {Describe(keptOld, errors)}", data: data));
        if (loaded.Count == 0)
            return Task.FromResult(HealthCheckResult.Degraded($"no plugins in {catalog.DirectoryPath}: epochs are not scored, erasures are rejected", data: data));
        return Task.FromResult(HealthCheckResult.Healthy($"{loaded.Count} plugin(s) loaded: {string.Join(", ", loaded.Select(p => p.Name))}", data));
    }

    private static string Describe(IEnumerable<string> folders, IReadOnlyDictionary<string, string> errors) =>
        string.Join("; ", folders.Select(f => $"{f}: {errors[f].ReplaceLineEndings(" ")}"));

    private static string Loaded(int count) => count == 0 ? "" : $" ({count} other plugin(s) loaded)";
}
