using Pipeline.Modelling.Tabular;

namespace Pipeline.Modelling.Unlearning;

/// <summary>
/// Exact unlearning, the reference every other method is measured against: train on all rows; to forget, train a new
/// model from the same initial weights on the retained rows for the same number of epochs.
/// </summary>
public sealed class RetrainFromScratch(UnlearningBudget budget, int seed) : IUnlearningMethod
{
    private TabularMatrix? _training;
    private TabularMlp? _model;

    public string Name => "retrain";

    public void Learn(TabularMatrix training)
    {
        _training = training;
        _model = Train(training);
    }

    public void Forget(IReadOnlyCollection<int> rows)
    {
        var training = _training ?? throw new InvalidOperationException("Learn comes before Forget");
        _model?.Dispose();
        _model = Train(Retained.Rows(training, rows));
    }

    public ClassifierOutputs Outputs(TabularMatrix data) =>
        new(TabularTraining.Logits(_model ?? throw new InvalidOperationException("nothing learnt yet"), data), data.Classes, data.Labels);

    public void Dispose() => _model?.Dispose();

    private TabularMlp Train(TabularMatrix rows)
    {
        var model = TabularTraining.NewModel(rows.Width, rows.Classes, seed, budget.Hidden);
        TabularTraining.Train(model, rows, budget.Epochs, budget.Training, seed);
        return model;
    }
}
