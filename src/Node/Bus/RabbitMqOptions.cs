namespace Pipeline.Node.Bus;

/// <summary>Configuration section "Bus:RabbitMQ". Credentials come from configuration or environment, never from code.</summary>
public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "localhost";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
    public bool UseTls { get; set; }
    public string? TlsServerName { get; set; }

    /// <summary>amqp(s)://user@host:port/vhost without the password, for logs and messages.</summary>
    public string Describe() => $"{(UseTls ? "amqps" : "amqp")}://{(Username.Length > 0 ? Username + "@" : "")}{Host}:{Port}{(VirtualHost.StartsWith('/') ? "" : "/")}{VirtualHost}";
}
