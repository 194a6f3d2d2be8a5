using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Pipeline.Node.Hosting;

public static class LoggingRegistration
{
    public const string FormatKey = "Logging:Format";

    /// <summary>
    /// Console logs on stderr (stdout carries only a command's output), as Logging:Format says: "text" (default), one line
    /// per entry for people; or "json", one JSON object per line with the message template's fields (RunId, SubjectHash,
    /// ...) under "State", for a log collector. The fields are the ones the code logs: subject ids are only ever logged hashed.
    /// </summary>
    public static IHostApplicationBuilder AddPipelineLogging(this IHostApplicationBuilder builder, LogLevel minimumLevel)
    {
        builder.Logging.ClearProviders();
        switch (builder.Configuration[FormatKey]?.Trim().ToLowerInvariant())
        {
            case null or "" or "text":
                builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
                break;
            case "json":
                builder.Logging.AddJsonConsole(o =>
                {
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    o.UseUtcTimestamp = true;
                    o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
                });
                break;
            case var other:
                throw new SettingException(FormatKey, $"{FormatKey} '{other}' is not a log format (use text or json)");
        }
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(minimumLevel);
        builder.Logging.AddFilter("MassTransit", minimumLevel > LogLevel.Information ? minimumLevel : LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", minimumLevel > LogLevel.Information ? minimumLevel : LogLevel.Warning);
        return builder;
    }
}
