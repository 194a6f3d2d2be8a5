using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tabular;

/// <summary>
/// The EUPG code's tabular classifier: linear → batch norm → ReLU, twice (hidden width 128 by default), then a linear
/// layer to the class logits.
/// </summary>
public sealed class TabularMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear _input;
    private readonly BatchNorm1d _inputNorm;
    private readonly Linear _hidden;
    private readonly BatchNorm1d _hiddenNorm;
    private readonly Linear _output;

    public TabularMlp(int features, int classes, int hidden = 128) : base(nameof(TabularMlp))
    {
        Features = features;
        Classes = classes;
        Hidden = hidden;
        _input = nn.Linear(features, hidden);
        _inputNorm = nn.BatchNorm1d(hidden);
        _hidden = nn.Linear(hidden, hidden);
        _hiddenNorm = nn.BatchNorm1d(hidden);
        _output = nn.Linear(hidden, classes);
        RegisterComponents();
    }

    public int Features { get; }

    public int Classes { get; }

    public int Hidden { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(_inputNorm.forward(_input.forward(input)));
        x = nn.functional.relu(_hiddenNorm.forward(_hidden.forward(x)));
        return _output.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>A new model with this one's weights and batch-norm statistics (the phases of EUPG start from copies).</summary>
    public TabularMlp Copy()
    {
        var copy = new TabularMlp(Features, Classes, Hidden);
        copy.load_state_dict(Snapshot());
        return copy;
    }

    /// <summary>Detached copies of every parameter and buffer, to restore later with load_state_dict (SISA's slice checkpoints).</summary>
    public Dictionary<string, Tensor> Snapshot() =>
        state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            _inputNorm.Dispose();
            _hidden.Dispose();
            _hiddenNorm.Dispose();
            _output.Dispose();
        }
        base.Dispose(disposing);
    }
}
