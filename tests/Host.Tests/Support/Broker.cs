using System.Diagnostics;
using RabbitMQ.Client;

namespace Pipeline.Host.Tests.Support;

/// <summary>
/// The real RabbitMQ broker the integration tests need. ./test.sh installs and starts one and sets
/// PIPELINE_TEST_RABBITMQ; without a broker these tests fail (never skip) with a message saying so.
/// Each test gets its own virtual host (when rabbitmqctl is at hand), so no queue state leaks between tests.
/// </summary>
public static class Broker
{
    public static Uri Address => new(Environment.GetEnvironmentVariable("PIPELINE_TEST_RABBITMQ") ?? "amqp://guest:guest@localhost:5672/");

    public static bool MayRestart => Environment.GetEnvironmentVariable("PIPELINE_TEST_BROKER_CONTROL") == "1";

    public static async Task<IConnection> ConnectAsync(string virtualHost = "/")
    {
        var factory = new ConnectionFactory { Uri = Address, VirtualHost = virtualHost, AutomaticRecoveryEnabled = true };
        try
        {
            return await factory.CreateConnectionAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"This test needs a RabbitMQ broker and none answers at {Address.Host}:{Address.Port} ({e.Message}). " +
                "Run the tests with ./test.sh, which installs and starts one.", e);
        }
    }

    /// <summary>
    /// A fresh virtual host for one test; without broker control, the one PIPELINE_TEST_RABBITMQ names
    /// (amqp://user:pass@host:5672/VHOST; "/" when it names none), so a shared broker can still keep runs apart.
    /// </summary>
    public static async Task<string> NewVirtualHostAsync()
    {
        var configured = Address.AbsolutePath.TrimStart('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : "/";
        await using (await ConnectAsync(configured)) { } // fail early and clearly when no broker answers
        if (!CanControl())
            return configured;
        var name = "pipeline-test-" + Guid.NewGuid().ToString("N")[..12];
        Control("add_vhost", name);
        var user = Uri.UnescapeDataString(Address.UserInfo.Split(':')[0]);
        Control("set_permissions", "-p", name, user, ".*", ".*", ".*");
        return name;
    }

    public static void DeleteVirtualHost(string name)
    {
        if (name != "/" && CanControl())
            Control("delete_vhost", name);
    }

    /// <summary>Stops and starts the broker application (the Erlang node stays up): every connection drops.</summary>
    public static void Restart()
    {
        StopApplication();
        StartApplication();
    }

    /// <summary>Stops the broker application: connections drop and nothing can be published until <see cref="StartApplication"/>.</summary>
    public static void StopApplication() => Control("stop_app");

    /// <summary>Starts the broker application again and waits until it accepts connections.</summary>
    public static void StartApplication()
    {
        Control("start_app");
        Control("await_startup");
    }

    public static Dictionary<string, string?> HostSettings(string virtualHost) => new()
    {
        ["Bus:Transport"] = "RabbitMQ",
        ["Bus:RabbitMQ:Host"] = Address.Host,
        ["Bus:RabbitMQ:Port"] = Address.Port.ToString(),
        ["Bus:RabbitMQ:VirtualHost"] = virtualHost,
        ["Bus:RabbitMQ:Username"] = Uri.UnescapeDataString(Address.UserInfo.Split(':')[0]),
        ["Bus:RabbitMQ:Password"] = Uri.UnescapeDataString(Address.UserInfo.Split(':').ElementAtOrDefault(1) ?? ""),
    };

    private static bool CanControl() =>
        MayRestart && Address.IsLoopback && Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, "rabbitmqctl")));

    private static void Control(params string[] arguments)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-q");
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed: {error.Result}");
    }
}
