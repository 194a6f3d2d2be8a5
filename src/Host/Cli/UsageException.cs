namespace Pipeline.Host.Cli;

/// <summary>Bad usage or bad input: the command prints the one-line reason and exits with code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
