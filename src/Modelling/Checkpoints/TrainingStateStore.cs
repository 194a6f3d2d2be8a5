using Pipeline.Modelling.Storage;
using System.Text.Json;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Checkpoints;

/// <summary>
/// Saves and restores AdamW's state (per parameter: step, exp_avg, exp_avg_sq, in optimizer.safetensors under
/// "&lt;parameter name&gt;.exp_avg" etc.) and the trainer's position (trainer.json) in a checkpoint folder, so a killed
/// run resumes exactly. trainer.json is written last: its presence means the folder's optimizer state is complete.
/// </summary>
public static class TrainingStateStore
{
    public const string OptimizerFileName = "optimizer.safetensors";
    public const string TrainerFileName = "trainer.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <param name="parameterNames">The name of each optimizer state, in the optimizer's parameter order.</param>
    public static void Save(string folder, AdamW optimizer, IReadOnlyList<string> parameterNames, TrainerState state)
    {
        Directory.CreateDirectory(folder);
        var states = States(optimizer, parameterNames);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        using (var scope = NewDisposeScope())
        {
            for (var i = 0; i < states.Count; i++)
            {
                tensors.Add(new($"{parameterNames[i]}.step", tensor(states[i].step)));
                tensors.Add(new($"{parameterNames[i]}.exp_avg", states[i].exp_avg));
                tensors.Add(new($"{parameterNames[i]}.exp_avg_sq", states[i].exp_avg_sq));
            }
            AtomicFile.Write(Path.Combine(folder, OptimizerFileName), stream => SafeTensorsWriter.Write(stream, tensors));
        }
        AtomicFile.WriteAllText(Path.Combine(folder, TrainerFileName), JsonSerializer.Serialize(state, Json));
    }

    public static TrainerState Load(string folder, AdamW optimizer, IReadOnlyList<string> parameterNames)
    {
        var trainerPath = Path.Combine(folder, TrainerFileName);
        if (!File.Exists(trainerPath))
            throw CheckpointException.InFile(trainerPath, $"missing in {folder}: no resumable training state here");
        TrainerState state;
        try
        {
            state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(trainerPath), Json)
                ?? throw new JsonException("empty document");
        }
        catch (JsonException e)
        {
            throw CheckpointException.InFile(trainerPath, $"not a valid trainer state ({e.Message})", e);
        }

        var states = States(optimizer, parameterNames);
        using var reader = SafeTensorsReader.Open(Path.Combine(folder, OptimizerFileName));
        using var noGrad = no_grad();
        using var stepLike = tensor(0L);
        for (var i = 0; i < states.Count; i++)
        {
            var name = parameterNames[i];
            using (var step = ReadLike(reader, $"{name}.step", stepLike))
                states[i].step = step.item<long>();
            using var average = ReadLike(reader, $"{name}.exp_avg", states[i].exp_avg);
            using var squares = ReadLike(reader, $"{name}.exp_avg_sq", states[i].exp_avg_sq);
            states[i].exp_avg.copy_(average);
            states[i].exp_avg_sq.copy_(squares);
        }
        return state;
    }

    private static Tensor ReadLike(SafeTensorsReader reader, string name, Tensor like)
    {
        var entry = reader.Entry(name);
        if (!entry.Shape.SequenceEqual(like.shape) || entry.DType != like.dtype)
            throw CheckpointException.InFile(reader.Path,
                $"tensor {name} is {entry.DTypeName} {entry.ShapeText}, the optimizer holds {like.dtype} [{string.Join(", ", like.shape)}]");
        return reader.Read(name);
    }

    private static List<AdamW.State> States(AdamW optimizer, IReadOnlyList<string> parameterNames)
    {
        var states = optimizer.state_dict().State.Cast<AdamW.State>().ToList();
        if (states.Count != parameterNames.Count)
            throw new ArgumentException($"the optimizer has {states.Count} parameter states but {parameterNames.Count} names were given");
        return states;
    }
}
