using Pipeline.Modelling.Tabular;

namespace Pipeline.Modelling.Unlearning;

/// <summary>
/// A way to train a classifier so that training rows can be forgotten later. <see cref="Learn"/> builds the deployed
/// model; <see cref="Forget"/> removes rows (indexes into the matrix given to Learn) from it; <see cref="Outputs"/>
/// applies whichever model is current. Each instance holds one model's life: learn once, forget once.
/// </summary>
public interface IUnlearningMethod : IDisposable
{
    string Name { get; }

    void Learn(TabularMatrix training);

    void Forget(IReadOnlyCollection<int> rows);

    ClassifierOutputs Outputs(TabularMatrix data);
}

/// <summary>The training budget the methods share: the EUPG code's 100 epochs to train and 5 to fine-tune.</summary>
public sealed record UnlearningBudget(int Epochs = 100, int FineTuneEpochs = 5, int Hidden = 128)
{
    public TabularTrainingOptions Training { get; init; } = new();

    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), "at least one training epoch");
        if (FineTuneEpochs < 1) throw new ArgumentOutOfRangeException(nameof(FineTuneEpochs), "at least one fine-tuning epoch");
        if (Hidden < 1) throw new ArgumentOutOfRangeException(nameof(Hidden), "at least one hidden unit");
        Training.Validate();
    }
}

/// <summary>The training rows without the forgotten ones.</summary>
internal static class Retained
{
    public static TabularMatrix Rows(TabularMatrix training, IReadOnlyCollection<int> forgotten)
    {
        var forget = forgotten as IReadOnlySet<int> ?? forgotten.ToHashSet();
        return training.Select(Enumerable.Range(0, training.Rows).Where(r => !forget.Contains(r)).ToArray());
    }
}
