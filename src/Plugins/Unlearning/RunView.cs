using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Contracts.Messages;
using Pipeline.Modelling.Regularisation;

namespace Pipeline.Plugins.Unlearning;

/// <summary>
/// What the forgetter reads of a run's run.json (written by the host's fine-tuning worker, snake_case): how the run was
/// trained, on which data, and its epochs. Read-only: the host owns the file.
/// </summary>
public sealed class RunView
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public required StartFineTune Request { get; init; }
    public string Status { get; init; } = "";
    public string? BaseModelPath { get; init; }
    public string? DatasetPath { get; init; }
    public string? TrainSample { get; init; }
    public string? HeldOutSample { get; init; }
    public RegulariserSettings? Regularisation { get; init; }
    public List<EpochView> Epochs { get; init; } = [];
    public int? StoppedAtEpoch { get; init; }

    public bool Completed => Status == "completed";

    /// <summary>The epoch the run kept, by the host's rule: lowest validation loss before the epoch a policy stopped at, else overall.</summary>
    public EpochView? Best =>
        (StoppedAtEpoch is { } stopped && Epochs.Any(e => e.Epoch < stopped) ? Epochs.Where(e => e.Epoch < stopped) : Epochs).MinBy(e => e.ValLoss);

    public static RunView? TryLoad(string runDirectory)
    {
        var path = Path.Combine(runDirectory, "run.json");
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<RunView>(File.ReadAllText(path), Json);
        }
        catch (JsonException bad)
        {
            throw new InvalidDataException($"{path}: unreadable run record ({bad.Message})", bad);
        }
    }
}

public sealed class EpochView
{
    public int Epoch { get; init; }
    public double ValLoss { get; init; }
    public double Lambda { get; init; }
    public double Seconds { get; init; }
    public CheckpointReference? Checkpoint { get; init; }
}
