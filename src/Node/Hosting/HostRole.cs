namespace Pipeline.Node.Hosting;

/// <summary>Server: consumers, plugins and the erasure processor run here. Client: only publishes and listens (CLI tools).</summary>
public enum HostRole
{
    Server,
    Client,
}
