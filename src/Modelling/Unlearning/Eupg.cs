using Pipeline.Modelling.Tabular;

namespace Pipeline.Modelling.Unlearning;

/// <summary>
/// EUPG (Domingo-Ferrer, Jebreel and Sánchez): (1) train a model on a privacy-protected copy of the training data
/// (k-anonymous or ε-differentially private), (2) fine-tune a copy of it on the original data for a few epochs: the
/// deployed model; (3) to forget, fine-tune another copy of the phase-1 model on the retained original rows for the same
/// few epochs. The phase-1 model has seen no raw record, so (3) never starts from one that memorised the forgotten rows.
/// </summary>
public sealed class Eupg(string name, Func<TabularMatrix, TabularMatrix> protect, UnlearningBudget budget, int seed) : IUnlearningMethod
{
    private TabularMatrix? _training;
    private TabularMlp? _protectedModel;
    private TabularMlp? _current;

    public string Name => name;

    /// <summary>The phase-1 model, trained on protected data only (null before Learn).</summary>
    public TabularMlp? ProtectedModel => _protectedModel;

    public void Learn(TabularMatrix training)
    {
        _training = training;
        var protectedRows = protect(training);
        _protectedModel = TabularTraining.NewModel(training.Width, training.Classes, seed, budget.Hidden);
        TabularTraining.Train(_protectedModel, protectedRows, budget.Epochs, budget.Training, seed);
        _current = FineTuned(training);
    }

    public void Forget(IReadOnlyCollection<int> rows)
    {
        var training = _training ?? throw new InvalidOperationException("Learn comes before Forget");
        _current?.Dispose();
        _current = FineTuned(Retained.Rows(training, rows));
    }

    public ClassifierOutputs Outputs(TabularMatrix data) =>
        new(TabularTraining.Logits(_current ?? throw new InvalidOperationException("nothing learnt yet"), data), data.Classes, data.Labels);

    public void Dispose()
    {
        _current?.Dispose();
        _protectedModel?.Dispose();
    }

    private TabularMlp FineTuned(TabularMatrix rows)
    {
        var model = _protectedModel!.Copy();
        TabularTraining.Train(model, rows, budget.FineTuneEpochs, budget.Training, seed + 1);
        return model;
    }
}
