using Pipeline.Modelling.Tabular;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Unlearning;

/// <summary>
/// SISA (Bourtoule et al.): the training rows are shuffled into S disjoint shards, each cut into R slices; one model per
/// shard learns incrementally, slice by slice, on the union of the slices so far, and is checkpointed after each slice.
/// The ensemble predicts the mean of the shard models' class probabilities (its "logits" are their logarithms). To
/// forget, each shard holding a forgotten row goes back to its checkpoint before the first slice that holds one, and
/// trains on from there without the forgotten rows; the other shards are untouched. Each slice step trains
/// ⌈E / R⌉ epochs, so a shard spends about the budget of one normal training run on data of growing size.
/// </summary>
public sealed class Sisa(UnlearningBudget budget, int seed, int shards = 5, int slices = 10) : IUnlearningMethod
{
    private TabularMatrix? _training;
    private List<int>[][] _slices = [];                       // shard → slice → training rows
    private readonly List<TabularMlp> _models = [];
    private readonly List<List<Dictionary<string, Tensor>>> _checkpoints = []; // shard → after slice i

    public string Name => "sisa";

    public int Shards => shards;

    public int Slices => slices;

    /// <summary>Shards retrained by the last Forget.</summary>
    public int ShardsRetrained { get; private set; }

    public void Learn(TabularMatrix training)
    {
        if (shards < 1 || slices < 1) throw new ArgumentOutOfRangeException(nameof(shards), "at least one shard and one slice");
        _training = training;
        var order = Enumerable.Range(0, training.Rows).ToArray();
        new Random(seed).Shuffle(order);
        var pieces = shards * slices;
        _slices = Enumerable.Range(0, shards).Select(s => Enumerable.Range(0, slices)
            .Select(i => order.Where((_, position) => position * pieces / order.Length == s * slices + i).ToList()).ToArray()).ToArray();
        for (var s = 0; s < shards; s++)
        {
            _models.Add(TabularTraining.NewModel(training.Width, training.Classes, seed + s, budget.Hidden));
            _checkpoints.Add([]);
            TrainFrom(s, 0);
        }
    }

    public void Forget(IReadOnlyCollection<int> rows)
    {
        if (_training is null) throw new InvalidOperationException("Learn comes before Forget");
        var forget = rows.ToHashSet();
        ShardsRetrained = 0;
        for (var s = 0; s < shards; s++)
        {
            var first = Array.FindIndex(_slices[s], slice => slice.Any(forget.Contains));
            if (first < 0) continue;
            foreach (var slice in _slices[s]) slice.RemoveAll(forget.Contains);
            ShardsRetrained++;
            if (first == 0)
            {
                _models[s].Dispose();
                _models[s] = TabularTraining.NewModel(_training.Width, _training.Classes, seed + s, budget.Hidden);
            }
            else
                _models[s].load_state_dict(_checkpoints[s][first - 1]);
            TrainFrom(s, first);
        }
    }

    public ClassifierOutputs Outputs(TabularMatrix data)
    {
        var classes = data.Classes;
        var probabilities = new double[data.Rows * classes];
        foreach (var model in _models)
        {
            var outputs = new ClassifierOutputs(TabularTraining.Logits(model, data), classes, data.Labels);
            for (var r = 0; r < data.Rows; r++)
            {
                var logProbabilities = outputs.LogProbabilities(r);
                for (var c = 0; c < classes; c++) probabilities[r * classes + c] += Math.Exp(logProbabilities[c]) / _models.Count;
            }
        }
        return new ClassifierOutputs(probabilities.Select(p => (float)Math.Log(Math.Max(p, 1e-30))).ToArray(), classes, data.Labels);
    }

    public void Dispose()
    {
        foreach (var model in _models) model.Dispose();
        foreach (var tensor in _checkpoints.SelectMany(c => c).SelectMany(d => d.Values)) tensor.Dispose();
    }

    private void TrainFrom(int shard, int firstSlice)
    {
        var epochsPerSlice = (budget.Epochs + slices - 1) / slices;
        foreach (var stale in _checkpoints[shard].Skip(firstSlice).SelectMany(d => d.Values)) stale.Dispose();
        if (_checkpoints[shard].Count > firstSlice) _checkpoints[shard].RemoveRange(firstSlice, _checkpoints[shard].Count - firstSlice);
        for (var i = firstSlice; i < slices; i++)
        {
            var rows = _slices[shard].Take(i + 1).SelectMany(s => s).ToArray();
            TabularTraining.Train(_models[shard], _training!.Select(rows), epochsPerSlice, budget.Training, seed + 1000 * shard + i);
            _checkpoints[shard].Add(_models[shard].Snapshot());
        }
    }
}
