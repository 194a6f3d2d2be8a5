using System.Reflection;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Tests;

public class MessageShapeTests
{
    private static readonly Type[] Messages =
    [
        typeof(EpochCompleted), typeof(CheckpointSaved), typeof(UnlearnRequested), typeof(EpochScored), typeof(CheckpointCompressed),
        typeof(UnlearningCompleted), typeof(UnlearningRejected), typeof(StartFineTune), typeof(StopTraining), typeof(SetRegularisation),
        typeof(EpochReviewed), typeof(FineTuneCompleted), typeof(FineTuneFailed),
    ];

    [Fact]
    public void Every_message_carries_a_correlation_id_and_a_timestamp()
    {
        foreach (var message in Messages)
        {
            var properties = message.GetProperties().ToDictionary(p => p.Name);
            Assert.True(properties.ContainsKey("RunId") || properties.ContainsKey("RequestId"), $"{message.Name} has no RunId or RequestId");
            Assert.Equal(typeof(DateTimeOffset), properties["Timestamp"].PropertyType);
        }
    }

    [Fact]
    public void Every_message_has_a_validator_in_contracts()
    {
        var validators = typeof(Validation.EpochCompletedValidator).Assembly.GetTypes()
            .Select(t => t.BaseType)
            .Where(b => b is { IsGenericType: true } && b.GetGenericTypeDefinition() == typeof(FluentValidation.AbstractValidator<>))
            .Select(b => b!.GetGenericArguments()[0])
            .ToHashSet();
        foreach (var message in Messages)
            Assert.Contains(message, validators);
    }

    [Fact]
    public void Message_records_hold_no_torchsharp_types()
    {
        foreach (var message in Messages)
        foreach (var property in message.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            Assert.DoesNotContain("TorchSharp", property.PropertyType.FullName ?? "");
    }

    [Fact]
    public void Messages_survive_a_json_round_trip()
    {
        var original = ValidMessages.EpochScored();
        var json = System.Text.Json.JsonSerializer.Serialize(original);
        var copy = System.Text.Json.JsonSerializer.Deserialize<EpochScored>(json)!;
        Assert.Equal(original.RunId, copy.RunId);
        Assert.Equal(original.Metrics["ngram_score"], copy.Metrics["ngram_score"]);
        Assert.Equal(original.Scorers, copy.Scorers);
    }

    [Fact]
    public void Metric_labels_survive_a_json_round_trip_and_messages_without_them_still_read()
    {
        var labelled = ValidMessages.EpochScored() with { Labels = new Dictionary<string, string> { ["ngram_score"] = "refund, order" } };
        var copy = System.Text.Json.JsonSerializer.Deserialize<EpochScored>(System.Text.Json.JsonSerializer.Serialize(labelled))!;
        Assert.Equal("refund, order", copy.Labels!["ngram_score"]);

        var before = System.Text.Json.JsonSerializer.Serialize(ValidMessages.EpochScored()).Replace(",\"Labels\":null", "");
        Assert.DoesNotContain("Labels", before);
        Assert.Null(System.Text.Json.JsonSerializer.Deserialize<EpochScored>(before)!.Labels);
    }
}
