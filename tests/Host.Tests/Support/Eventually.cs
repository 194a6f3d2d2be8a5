namespace Pipeline.Host.Tests.Support;

/// <summary>Polls a condition that another process or a consumer makes true, for at most a limit (never a timed assertion: the limit only ends a hung test).</summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            await Task.Delay(50);
        }
        return condition();
    }
}
