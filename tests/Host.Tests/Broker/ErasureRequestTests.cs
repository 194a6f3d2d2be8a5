using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using RabbitMQ.Client;
using Pipeline.Node.Erasure.Ledger;

namespace Pipeline.Host.Tests.Broker;

public sealed class ErasureRequestTests : BrokerTest
{
    [Fact]
    public async Task A_request_published_twice_leaves_one_ledger_row_and_one_outcome_and_the_second_copy_is_audited_as_a_replay()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync();
        var consumed = new ConsumeCounter<UnlearnRequested>();
        using var _ = host.Bus.ConnectConsumeMessageObserver(consumed);
        var request = Messages.Unlearn();

        await host.Bus.Publish(request);
        await host.WaitForAsync<UnlearningCompleted>(c => c.RequestId == request.RequestId);
        await host.Bus.Publish(request);
        await consumed.WaitForAsync(2);

        var ledger = host.Services.GetRequiredService<IErasureLedger>();
        Assert.Single(ledger.List(), r => r.RequestId == request.RequestId);
        Assert.Contains(ledger.Refused(), r => r.RequestId == request.RequestId && r.Reason.StartsWith("replayed", StringComparison.Ordinal));
        Assert.Single(ledger.Find(request.RequestId)!.Transitions, t => t.State == ErasureState.Received);
        Assert.Single(host.Observed<UnlearningCompleted>(), c => c.RequestId == request.RequestId);
    }

    [Fact]
    public async Task A_plain_json_request_published_with_the_plain_rabbitmq_client_is_carried_out()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync();
        var requestId = Guid.NewGuid();

        // Exactly what the README tells a non-.NET data-governance system to send, signed as it tells it to sign.
        var signed = TestPublisher.Sign(new UnlearnRequested(requestId, "customer-8812", "support-tickets", ["t-1", "t-2"], "GDPR Art. 17", DateTimeOffset.UtcNow));
        var body = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["requestId"] = requestId,
            ["subjectId"] = "customer-8812",
            ["datasetId"] = "support-tickets",
            ["recordIds"] = new[] { "t-1", "t-2" },
            ["reason"] = "GDPR Art. 17",
            ["timestamp"] = signed.Timestamp.ToString("O"),
            ["publisher"] = signed.Publisher,
            ["nonce"] = signed.Nonce,
            ["signature"] = signed.Signature,
        });
        await PublishRawAsync(body);

        var completed = await host.WaitForAsync<UnlearningCompleted>(c => c.RequestId == requestId);
        Assert.Equal(2, completed.Evidence["records_forgotten"]);
        var record = host.Services.GetRequiredService<IErasureLedger>().Find(requestId)!;
        Assert.Equal(ErasureState.Completed, record.State);
        Assert.Equal("support-tickets", record.DatasetId);
    }

    [Fact]
    public async Task A_request_signed_by_the_readmes_python_snippet_and_published_as_plain_json_is_carried_out()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync();
        var requestId = Guid.NewGuid();
        var script = Path.Combine(Path.GetDirectoryName(PluginDirectory)!, "sign.py");
        // The README's snippet as it stands, then what a governance system would do with it; non-ASCII on purpose
        // (the length prefixes count UTF-8 bytes).
        File.WriteAllText(script, ReadmeSnippet.Read("signing-snippet") + $$"""

            import base64, json, sys
            body = {"requestId": "{{requestId.ToString().ToUpperInvariant()}}", "subjectId": "Zoë Ångström", "datasetId": "support-tickets",
                    "recordIds": ["t-1", "t-2"], "reason": "GDPR Art. 17", "reference": "DSR-2026-0042"}
            print(json.dumps(sign(body, "{{TestPublisher.Name}}", base64.b64decode(sys.argv[1]))))
            """);

        var python = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("python3", [script, Convert.ToBase64String(TestPublisher.Key)])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var signed = await python.StandardOutput.ReadToEndAsync();
        var errors = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, errors);
        await PublishRawAsync(signed);

        var completed = await host.WaitForAsync<UnlearningCompleted>(c => c.RequestId == requestId);
        Assert.Equal(2, completed.Evidence["records_forgotten"]);
        var ledger = host.Services.GetRequiredService<IErasureLedger>();
        Assert.Equal("DSR-2026-0042", ledger.Find(requestId)!.Reference);
        Assert.Empty(ledger.Refused());
    }

    [Fact]
    public async Task Malformed_json_is_faulted_to_the_error_queue_and_nothing_enters_the_ledger()
    {
        await using var host = await StartHostAsync();

        await PublishRawAsync("{\"requestId\": \"not-a-guid\", \"subjectId\": ");
        var faulted = await ErrorQueue.TakeAsync(VirtualHost, "unlearn-requested_error");

        Assert.Contains("requestId", faulted.Body);
        Assert.Empty(host.Services.GetRequiredService<IErasureLedger>().List());
    }

    [Fact]
    public async Task Plain_json_missing_the_subject_is_rejected_by_validation_without_echoing_anything_personal()
    {
        await using var host = await StartHostAsync();
        var body = JsonSerializer.Serialize(new { requestId = Guid.NewGuid(), timestamp = DateTimeOffset.UtcNow });

        await PublishRawAsync(body);
        var faulted = await ErrorQueue.TakeAsync(VirtualHost, "unlearn-requested_error");

        Assert.Contains("'Subject Id' must be present", faulted.Headers["MT-Fault-Message"]);
        Assert.Empty(host.Services.GetRequiredService<IErasureLedger>().List());
    }

    private async Task PublishRawAsync(string json)
    {
        await using var connection = await Support.Broker.ConnectAsync(VirtualHost);
        await using var channel = await connection.CreateChannelAsync();
        var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent, MessageId = Guid.NewGuid().ToString() };
        await channel.BasicPublishAsync("unlearn-requested", "", mandatory: false, properties, Encoding.UTF8.GetBytes(json));
    }
}
