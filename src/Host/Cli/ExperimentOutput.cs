using System.Text.Json;
using Pipeline.Modelling.Storage;

namespace Pipeline.Host.Cli;

/// <summary>An experiment's report: kept as WORK/result.json beside its runs, then printed (JSON, or its table).</summary>
public static class ExperimentOutput
{
    public static int Write<TReport>(string work, TReport report, bool json, Action<TReport> printTable) where TReport : notnull
    {
        AtomicFile.WriteAllText(Path.Combine(work, "result.json"), JsonSerializer.Serialize(report, CliOutput.Json));
        if (json)
            CliOutput.WriteJson(report);
        else
            printTable(report);
        return ExitCodes.Success;
    }
}
