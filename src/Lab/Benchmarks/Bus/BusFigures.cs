namespace Pipeline.Lab.Benchmarks.Bus;

/// <summary>
/// One transport's figures. EventsPerSecond: N messages published as fast as the publisher can (bounded in-flight
/// publishes) until the last is consumed. P50/P99: publish→consume latency of messages paced at LatencyRate per second.
/// </summary>
public sealed record BusFigures(double EventsPerSecond, double P50Ms, double P99Ms, double MaxMs, int Events, int LatencyEvents, int LatencyRate);
