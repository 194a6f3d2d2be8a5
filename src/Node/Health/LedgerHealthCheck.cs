using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Hosting;

namespace Pipeline.Node.Health;

/// <summary>
/// Ledger: a real read against the erasure ledger (this node's pending erasures), so an unreadable, locked or
/// corrupt database shows here before an erasure request finds it.
/// </summary>
public sealed class LedgerHealthCheck(IServiceProvider services, NodeIdentity node) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // The ledger is resolved here, not injected: opening it is part of what is checked (its constructor creates
            // the schema), and a failure to open must be this check's Unhealthy, not a failure of the whole report.
            // Ledger calls are synchronous and may wait on a lock: run them off this thread, so the check's timeout holds.
            var pending = await Task.Run(() => services.GetRequiredService<IErasureLedger>().PendingFor(node.Name), cancellationToken)
                .WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"readable; {pending.Count} erasure(s) pending for {node.Name}",
                new Dictionary<string, object> { ["pending_erasures"] = pending.Count });
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"cannot read the ledger: {failure.Message.ReplaceLineEndings(" ")}");
        }
    }
}
