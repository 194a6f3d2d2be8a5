using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Models;

[Collection(TorchCollection.Name)]
public sealed class HiddenStatesTests
{
    [Fact]
    public void Hidden_states_projected_onto_the_output_embedding_are_the_forward_passes_logits()
    {
        using var model = TinyModels.Create(5);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = TinyModels.RandomIds(6, batch: 2, length: 10, vocab: 64);

        var hidden = model.HiddenStates(ids);
        var outputEmbedding = model.named_parameters().Single(p => p.name == "embed_out.weight").parameter;

        Assert.Equal(new long[] { 2, 10, 32 }, hidden.shape);
        Assert.Equal(ScalarType.Float32, hidden.dtype);
        Assert.True(hidden.matmul(outputEmbedding.t()).allclose(model.forward(ids), rtol: 1e-5, atol: 1e-5));
    }
}
