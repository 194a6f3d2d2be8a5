using MassTransit;
using Microsoft.Extensions.Logging;

namespace Pipeline.Node.Bus;

/// <summary>
/// Says, in one line an operator can read, that the broker cannot be reached and that the node keeps retrying (the
/// transport reconnects with backoff; nothing is consumed or lost meanwhile), and again when the broker answers.
/// MassTransit's own warnings carry the stack traces; this is the summary, at most every ten seconds.
/// </summary>
public sealed class BrokerConnectionReporter(BusOptions options, ILogger<BrokerConnectionReporter> logger) : IReceiveEndpointObserver
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);
    private readonly object _gate = new();
    private DateTime _lastReport = DateTime.MinValue;
    private int _failures;

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        lock (_gate)
        {
            _failures++;
            if (DateTime.UtcNow - _lastReport < Quiet)
                return Task.CompletedTask;
            _lastReport = DateTime.UtcNow;
        }
        logger.LogWarning("Broker {Broker} not reachable ({Reason}); retrying with backoff ({Failures} failed attempts so far), " +
                          "the node starts consuming when it answers", Where(), faulted.Exception is { } e ? Reason(e) : "no reason given", _failures);
        return Task.CompletedTask;
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        bool recovered;
        lock (_gate)
        {
            recovered = _failures > 0;
            _failures = 0;
            _lastReport = DateTime.MinValue;
        }
        if (recovered)
            logger.LogInformation("Broker {Broker} reachable: {Endpoint} consuming", Where(), ready.InputAddress);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    private string Where() => options.Transport == BusTransport.RabbitMQ ? options.RabbitMQ.Describe() : options.Transport.ToString();

    /// <summary>The innermost message: "Connection refused", not the wrapper's.</summary>
    private static string Reason(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null)
            inner = inner.InnerException;
        return inner.Message;
    }
}
