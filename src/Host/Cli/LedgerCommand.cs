using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Hosting;

namespace Pipeline.Host.Cli;

/// <summary>`pipeline ledger`: the erasure audit trail. It holds salted subject hashes, never subject ids.</summary>
public static class LedgerCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var requestId = new Option<Guid?>("--request-id") { Description = "Show one erasure with every state it went through." };
        var limit = new Option<int>("--limit") { Description = "Newest N erasures.", DefaultValueFactory = _ => 100 };
        var refused = new Option<bool>("--refused") { Description = "Show the requests refused without being acted on (unsigned, wrong signature, stale, replayed), with the reasons." };
        var command = new Command("ledger", "Show the erasure audit ledger (Ledger:Path): each request, its state and when it got there.")
        {
            json, requestId, limit, refused,
        };
        command.SetAction(parse =>
        {
            var builder = PipelineHostBuilder.Create(HostRole.Client, Microsoft.Extensions.Logging.LogLevel.Warning);
            using var services = builder.Services.BuildServiceProvider();
            var ledger = services.GetRequiredService<IErasureLedger>();
            if (parse.GetValue(limit) < 1)
                throw new UsageException("--limit must be at least 1");
            if (parse.GetValue(refused))
                return ShowRefused(ledger, parse.GetValue(limit), parse.GetValue(json));
            IReadOnlyList<ErasureRecord> records;
            if (parse.GetValue(requestId) is { } id)
            {
                records = ledger.Find(id) is { } found ? [found] : throw new UsageException($"no erasure {id} in the ledger {ledger.Location}");
            }
            else
            {
                records = ledger.List(parse.GetValue(limit));
            }

            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(new { Ledger = ledger.Location, Erasures = records });
                return ExitCodes.Success;
            }

            Console.WriteLine($"erasure ledger {ledger.Location}: {records.Count} shown");
            foreach (var r in records)
            {
                Console.WriteLine($"  {r.RequestId}  {r.State,-14} {r.SubjectHash}{(r.Reference is null ? "" : $"  ref {r.Reference}")}  received {r.ReceivedAt:u}  updated {r.UpdatedAt:u}  by {r.HandledBy ?? "-"}" +
                                  (r.Reason is null ? "" : $"  reason: {r.Reason}"));
                if (parse.GetValue(requestId) is not null)
                    foreach (var t in r.Transitions)
                        Console.WriteLine($"      {t.At:O}  {t.State,-14} {t.Node}{(t.Detail is null ? "" : "  " + t.Detail)}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static int ShowRefused(IErasureLedger ledger, int limit, bool json)
    {
        var refused = ledger.Refused(limit);
        if (json)
        {
            CliOutput.WriteJson(new { Ledger = ledger.Location, Refused = refused });
            return ExitCodes.Success;
        }
        Console.WriteLine($"erasure ledger {ledger.Location}: {refused.Count} refused requests shown");
        foreach (var r in refused)
            Console.WriteLine($"  {r.At:u}  {r.RequestId}  from {r.Publisher ?? "(no publisher)"}  on {r.Node}: {r.Reason}");
        return ExitCodes.Success;
    }
}
