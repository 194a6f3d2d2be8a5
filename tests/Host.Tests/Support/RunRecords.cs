using Pipeline.Node.FineTuning;
using Pipeline.Contracts.Runs;

namespace Pipeline.Host.Tests.Support;

/// <summary>Reads a run's run.json while another process writes it (a read can meet the rename of a new version).</summary>
public static class RunRecords
{
    public static RunRecord? TryLoad(string runDirectory)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return RunStore.TryLoad(runDirectory);
            }
            catch (Exception e) when (e is IOException or InvalidDataException && attempt < 20)
            {
                Thread.Sleep(10); // renamed into place at this very moment: read again
            }
        }
    }

    public static async Task<RunRecord> WaitForAsync(string runDirectory, Func<RunRecord, bool> condition, Func<string> diagnostics, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromMinutes(3));
        while (DateTime.UtcNow < deadline)
        {
            if (TryLoad(runDirectory) is { } record && condition(record))
                return record;
            await Task.Delay(20);
        }
        throw new TimeoutException($"the run record never reached the expected state; serve output:\n{diagnostics()}");
    }
}
