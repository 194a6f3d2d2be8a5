using System.Diagnostics;
using System.Security.Cryptography;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts.Messages;
using Pipeline.Node.Bus;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Erasure.Security;

namespace Pipeline.Lab.Benchmarks.Erasure;

/// <summary>
/// Erasure requests accepted per second into one ledger, and their acknowledge latency, through a serve host
/// (<see cref="ErasureBenchHost"/>): signed requests are sent to its unlearn-requested queue with a bounded number
/// unacknowledged, the consumer authenticates each, spends its nonce and writes it to the ledger; then the ledger is
/// read back to prove that every request is there exactly once.
/// </summary>
public static class ErasureBenchmark
{
    /// <summary>How long without a single acknowledgement before the benchmark stops waiting and counts the rest as lost.</summary>
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(60);

    public static async Task<ErasureFigures> RunAsync(BusTransport transport, BenchLedger ledger, int requests, int inFlight,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var key = RandomNumberGenerator.GetBytes(SigningKey.MinimumBytes); // trusted by this host only, for this run only
        var plugins = Directory.CreateTempSubdirectory("pipeline-bench-plugins-").FullName; // empty: no forgetter, no scorers
        try
        {
            var (host, endpointName) = ErasureBenchHost.Build(transport, ledger, key, plugins);
            using (host)
            {
                await host.StartAsync(cancellationToken);
                try
                {
                    var bus = host.Services.GetRequiredService<IBus>();
                    var store = host.Services.GetRequiredService<IErasureLedger>();
                    var acknowledgements = new ErasureAcknowledgements();
                    using var observing = bus.ConnectConsumeMessageObserver(acknowledgements);
                    // Straight to the host's own queue (declared as its endpoint declares it), not published: no other node on the broker gets them.
                    var endpoint = await bus.GetSendEndpoint(new Uri(transport == BusTransport.RabbitMQ ? $"queue:{endpointName}?autodelete=true" : $"queue:{endpointName}"));
                    progress($"  ledger {store.Location}, endpoint {endpointName}");

                    // Warm-up: connections, JIT and prepared statements out of the figures (its requests are checked too).
                    var warmUp = SignedRequests(Math.Min(100, requests), key);
                    await SendAsync(endpoint, acknowledgements, warmUp, inFlight, cancellationToken);

                    progress($"  {requests} signed requests, at most {inFlight} unacknowledged");
                    var measured = SignedRequests(requests, key); // signed before the clock starts: the publisher's cost is not the ledger's
                    var (seconds, latencies) = await SendAsync(endpoint, acknowledgements, measured, inFlight, cancellationToken);

                    var (lost, duplicated, refused) = Verify(store, [.. warmUp, .. measured]);
                    Array.Sort(latencies);
                    return new ErasureFigures(store.Location, requests, inFlight, seconds, seconds > 0 ? latencies.Length / seconds : 0,
                        Percentiles.Of(latencies, 0.50), Percentiles.Of(latencies, 0.99), latencies.Length > 0 ? latencies[^1] : double.NaN,
                        lost, duplicated, refused);
                }
                finally
                {
                    await host.StopAsync(CancellationToken.None);
                }
            }
        }
        finally
        {
            Directory.Delete(plugins, recursive: true);
        }
    }

    private static List<UnlearnRequested> SignedRequests(int count, byte[] key) =>
        Enumerable.Range(0, count)
            .Select(i => ErasureRequestSignature.Sign(
                new UnlearnRequested(Guid.NewGuid(), $"bench-subject-{i}", "bench-dataset", null, "benchmark", DateTimeOffset.UtcNow)
                {
                    Reference = $"BENCH-{i}",
                }, ErasureBenchHost.Publisher, key))
            .ToList();

    /// <summary>
    /// Sends the requests as fast as acknowledgements free a slot. Returns the seconds from the first send to the last
    /// acknowledgement, and the latencies of those acknowledged (stopping early if acknowledgements stall).
    /// </summary>
    private static async Task<(double Seconds, double[] LatenciesMs)> SendAsync(ISendEndpoint endpoint, ErasureAcknowledgements acknowledgements,
        IReadOnlyList<UnlearnRequested> requests, int inFlight, CancellationToken cancellationToken)
    {
        var slots = new SemaphoreSlim(inFlight); // not disposed: acknowledgements after a stall still release it
        var acknowledged = new List<Task<double>>(requests.Count);
        var sends = new List<Task>(requests.Count);
        var start = Stopwatch.GetTimestamp();
        var sendFailed = false;
        foreach (var request in requests)
        {
            if (!await slots.WaitAsync(StallLimit, cancellationToken))
                break; // nothing acknowledged for a minute: the rest would not be either
            if (Volatile.Read(ref sendFailed))
                break; // the broker refused a send: say why (below) instead of waiting on the rest
            var ack = acknowledgements.Track(request.RequestId);
            acknowledged.Add(ack);
            _ = ack.ContinueWith(_ => slots.Release(), TaskScheduler.Default);
            var send = endpoint.Send(request, cancellationToken);
            sends.Add(send);
            _ = send.ContinueWith(_ =>
            {
                Volatile.Write(ref sendFailed, true);
                slots.Release();
            }, CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
        }
        await Task.WhenAll(sends);
        await WaitWhileProgressingAsync(acknowledgements, Task.WhenAll(acknowledged), cancellationToken);

        var latencies = acknowledged.Where(a => a.IsCompletedSuccessfully).Select(a => a.Result).ToArray();
        return (Stopwatch.GetElapsedTime(start, Math.Max(start, acknowledgements.LastTicks)).TotalSeconds, latencies);
    }

    /// <summary>Waits for <paramref name="all"/> while acknowledgements keep coming; gives up after <see cref="StallLimit"/> without one.</summary>
    private static async Task WaitWhileProgressingAsync(ErasureAcknowledgements acknowledgements, Task all, CancellationToken cancellationToken)
    {
        var seen = acknowledgements.Acknowledged;
        var lastProgress = Stopwatch.GetTimestamp();
        while (!all.IsCompleted && Stopwatch.GetElapsedTime(lastProgress) < StallLimit)
        {
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            if (acknowledgements.Acknowledged != seen)
            {
                seen = acknowledgements.Acknowledged;
                lastProgress = Stopwatch.GetTimestamp();
            }
        }
    }

    /// <summary>Reads the ledger back: each request must be there once, received, and none refused.</summary>
    private static (int Lost, int Duplicated, int Refused) Verify(IErasureLedger ledger, IReadOnlyList<UnlearnRequested> sent)
    {
        var ids = sent.Select(r => r.RequestId).ToHashSet();
        // The ledger is this benchmark's own, so everything in it came from here; read a little more than was sent to see extras.
        var rows = ledger.List(sent.Count * 2).Where(r => ids.Contains(r.RequestId)).GroupBy(r => r.RequestId).ToDictionary(g => g.Key, g => g.Count());
        var lost = ids.Count(id => !rows.ContainsKey(id));
        var duplicated = rows.Values.Sum(count => count - 1);
        var refused = ledger.Refused(sent.Count * 2).Count(r => ids.Contains(r.RequestId));
        return (lost, duplicated, refused);
    }
}
