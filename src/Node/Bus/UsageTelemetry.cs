using MassTransit;

namespace Pipeline.Node.Bus;

/// <summary>
/// MassTransit 8.5 reports usage telemetry (versions, operating system, time zone, endpoint names) to its vendor's
/// server unless told not to. A node that governs personal data makes no connection its operator did not configure:
/// off unless Bus:UsageTelemetry is true. MassTransit also obeys MASSTRANSIT_USAGE_TELEMETRY, over its own options;
/// that variable turning it on while the setting is off is refused, so the setting is the one place that decides.
/// </summary>
public static class UsageTelemetry
{
    public const string Key = "Bus:UsageTelemetry";
    public const string Variable = "MASSTRANSIT_USAGE_TELEMETRY";

    public static void Apply(IBusRegistrationConfigurator bus, bool enabled, Func<string, string?>? environment = null)
    {
        if (enabled)
            return;
        var variable = (environment ?? Environment.GetEnvironmentVariable)(Variable)?.Trim();
        if (variable is not null && (variable == "1" || variable.Equals("true", StringComparison.OrdinalIgnoreCase)))
            throw new Hosting.SettingException(Key,
                $"{Variable}={variable} would turn on MassTransit's usage telemetry, which {Key} turns off; unset {Variable}, or set {Key}=true to allow it");
        bus.DisableUsageTelemetry();
    }
}
