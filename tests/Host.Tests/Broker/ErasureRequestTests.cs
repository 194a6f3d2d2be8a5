using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Ledger;
using Pipeline.Host.Tests.Support;
using RabbitMQ.Client;

namespace Pipeline.Host.Tests.Broker;

public sealed class ErasureRequestTests : BrokerTest
{
    [Fact]
    public async Task A_duplicate_unlearn_request_leaves_one_ledger_row_and_one_outcome()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync();
        var consumed = new ConsumeCounter<UnlearnRequested>();
        using var _ = host.Bus.ConnectConsumeMessageObserver(consumed);
        var request = Messages.Unlearn();

        await host.Bus.Publish(request);
        await host.Bus.Publish(request with { Timestamp = DateTimeOffset.UtcNow });
        await consumed.WaitForAsync(2);
        await host.WaitForAsync<UnlearningCompleted>(c => c.RequestId == request.RequestId);

        var ledger = host.Services.GetRequiredService<IErasureLedger>();
        Assert.Single(ledger.List(), r => r.RequestId == request.RequestId);
        Assert.Single(ledger.Find(request.RequestId)!.Transitions, t => t.State == ErasureState.Received);
        Assert.Single(host.Observed<UnlearningCompleted>(), c => c.RequestId == request.RequestId);
    }

    [Fact]
    public async Task A_plain_json_request_published_with_the_plain_rabbitmq_client_is_carried_out()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync();
        var requestId = Guid.NewGuid();

        // Exactly what the README tells a non-.NET data-governance system to send.
        var body = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["requestId"] = requestId,
            ["subjectId"] = "customer-8812",
            ["datasetId"] = "support-tickets",
            ["recordIds"] = new[] { "t-1", "t-2" },
            ["reason"] = "GDPR Art. 17",
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        });
        await PublishRawAsync(body);

        var completed = await host.WaitForAsync<UnlearningCompleted>(c => c.RequestId == requestId);
        Assert.Equal(2, completed.Evidence["records_forgotten"]);
        var record = host.Services.GetRequiredService<IErasureLedger>().Find(requestId)!;
        Assert.Equal(ErasureState.Completed, record.State);
        Assert.Equal("support-tickets", record.DatasetId);
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
