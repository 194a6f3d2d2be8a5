using System.CommandLine;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Validation;
using Pipeline.Node.Bus;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Hosting;

namespace Pipeline.Host.Cli;

/// <summary>
/// `pipeline unlearn`: the data-governance client. Publishes UnlearnRequested and, with --wait, prints the outcome.
/// On the in-memory bus there is no other process to do the work, so this process serves the request itself and waits.
/// </summary>
public static class UnlearnCommand
{
    public static Command Create()
    {
        var subject = new Option<string>("--subject") { Description = "Id of the person to forget (personal data: never logged, only its salted hash).", Required = true };
        var dataset = new Option<string?>("--dataset") { Description = "Data set the subject's records are in." };
        var records = new Option<string?>("--records") { Description = "Comma-separated record ids to forget (default: all of the subject's)." };
        var reason = new Option<string?>("--reason") { Description = "Why, e.g. 'GDPR Art. 17' (sent with the request; not kept in the ledger)." };
        var reference = new Option<string?>("--reference") { Description = "Your own id for the request, e.g. DSR-2026-0042: kept in the ledger beside the subject's hash." };
        var requestId = new Option<Guid?>("--request-id") { Description = "Reuse a request id (re-publishing it is a no-op); default: a new one." };
        var wait = new Option<bool>("--wait") { Description = "Wait for the outcome and print it; exit 1 if the erasure is rejected." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait with --wait.", DefaultValueFactory = _ => 600 };
        var unsigned = new Option<bool>("--unsigned") { Description = "Send the request unsigned (only nodes with Security:Erasure:RequireSignature=false act on it)." };
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var command = new Command("unlearn",
            "Publish an erasure request (UnlearnRequested) for a person, as a data-governance system does, signed with the key of " +
            "Security:Erasure:Signing (Publisher, and Key or KeyFile).")
        {
            subject, dataset, records, reason, reference, requestId, wait, timeout, unsigned, json, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new UnlearnRequested(parse.GetValue(requestId) ?? NewId.NextGuid(), parse.GetValue(subject)!, parse.GetValue(dataset),
                parse.GetValue(records)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                parse.GetValue(reason), DateTimeOffset.UtcNow)
            {
                Reference = parse.GetValue(reference),
            };
            var invalid = new UnlearnRequestedValidator().Validate(request);
            if (!invalid.IsValid)
                throw new UsageException(string.Join(" ", invalid.Errors.Select(e => e.ErrorMessage)));
            if (parse.GetValue(timeout) < 1)
                throw new UsageException("--timeout must be at least 1 second");

            var configured = PipelineHostBuilder.Create(HostRole.Client, LogLevel.Warning).Configuration;
            var inMemory = !string.Equals(configured["Bus:Transport"], nameof(BusTransport.RabbitMQ), StringComparison.OrdinalIgnoreCase);
            var (signed, overrides) = RequestSigning.ForCli(request, configured, inMemory, parse.GetValue(unsigned));
            request = signed;
            var waitForOutcome = parse.GetValue(wait) || inMemory;
            if (inMemory && !parse.GetValue(wait))
                CliOutput.Progress("pipeline: Bus:Transport is InMemory, so this process handles the request itself and waits for the outcome.");

            var builder = PipelineHostBuilder.Create(inMemory ? HostRole.Server : HostRole.Client, parse.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning,
                overrides);
            using var host = builder.Build();
            await host.StartAsync(cancellationToken);
            try
            {
                var bus = host.Services.GetRequiredService<IBus>();
                var outcome = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
                if (waitForOutcome)
                {
                    var handle = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance, endpoint =>
                    {
                        endpoint.Handler<UnlearningCompleted>(c => Settle(c.Message.RequestId, c.Message));
                        endpoint.Handler<UnlearningRejected>(c => Settle(c.Message.RequestId, c.Message));
                    });
                    await handle.Ready.WaitAsync(cancellationToken);
                }

                await bus.Publish(request, cancellationToken);
                if (!waitForOutcome)
                {
                    Report(parse.GetValue(json), new { request.RequestId, State = "published" }, $"published erasure request {request.RequestId}");
                    return ExitCodes.Success;
                }

                CliOutput.Progress($"pipeline: published erasure request {request.RequestId}; waiting up to {parse.GetValue(timeout)} s for the outcome");
                object result;
                try
                {
                    result = await outcome.Task.WaitAsync(TimeSpan.FromSeconds(parse.GetValue(timeout)), cancellationToken);
                }
                catch (TimeoutException)
                {
                    CliOutput.Error($"no outcome for erasure {request.RequestId} within {parse.GetValue(timeout)} s; it stays in the ledger (pipeline ledger --request-id {request.RequestId})");
                    return ExitCodes.Failure;
                }
                // In one process, the compressors take the new model versions the erasure made: let them finish before exiting.
                if (inMemory && !await host.Services.GetRequiredService<RunAftermath>().WaitForAllAsync(TimeSpan.FromMinutes(30), cancellationToken))
                    CliOutput.Progress("pipeline: compressing the new model versions took over 30 minutes; stopping anyway");

                switch (result)
                {
                    case UnlearningCompleted done:
                        Report(parse.GetValue(json),
                            new { done.RequestId, State = "completed", done.SubjectHash, done.Forgetter, done.Summary, done.Evidence, done.HandledBy },
                            $"erasure {done.RequestId} completed by {done.Forgetter} on {done.HandledBy}" + (done.Summary is null ? "" : $" ({done.Summary})") + ":" +
                            string.Concat(done.Evidence.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"\n  {e.Key,-32} {e.Value:0.####}")));
                        return ExitCodes.Success;
                    case UnlearningRejected rejected:
                        Report(parse.GetValue(json),
                            new { rejected.RequestId, State = "rejected", rejected.SubjectHash, rejected.Reason, rejected.HandledBy },
                            $"erasure {rejected.RequestId} rejected on {rejected.HandledBy}: {rejected.Reason}");
                        return ExitCodes.Failure;
                    default:
                        throw new InvalidOperationException("unexpected outcome");
                }

                Task Settle(Guid id, object message)
                {
                    if (id == request.RequestId)
                        outcome.TrySetResult(message);
                    return Task.CompletedTask;
                }
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        });
        return command;
    }

    private static void Report(bool json, object document, string text)
    {
        if (json)
            CliOutput.WriteJson(document);
        else
            Console.WriteLine(text);
    }
}
