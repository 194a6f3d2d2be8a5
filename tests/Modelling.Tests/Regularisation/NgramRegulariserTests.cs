using Pipeline.Modelling.Regularisation;
using Pipeline.Modelling.Training;
using Pipeline.Modelling.Tests.Training;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Regularisation;

/// <summary><see cref="NgramRegulariser"/> on two real tiny models: what it compares and where its gradient goes.</summary>
[Collection(TorchCollection.Name)]
public sealed class NgramRegulariserTests
{
    private static LossContext Context(Tensor logits, Tensor ids, Tensor mask)
    {
        // Targets are the next input ids; the last position has none (target 0, mask 0), as the packer makes them.
        var targets = cat([ids[.., 1..], zeros(ids.shape[0], 1, dtype: ScalarType.Int64)], 1);
        return new LossContext(logits, targets, mask, ids, Lambda: 1, Epoch: 1, Step: 0);
    }

    private static Tensor FullMask(Tensor ids) =>
        cat([ones(ids.shape[0], ids.shape[1] - 1), zeros(ids.shape[0], 1)], 1);

    [Fact]
    public void A_model_equal_to_the_reference_pays_exactly_zero_even_with_tau_zero()
    {
        using var reference = TinyModels.Create(61);
        using var trained = TinyModels.Create(61); // same seed, same weights
        using var regulariser = new NgramRegulariser(reference, n: 4, tau: 0.0);
        using var ids = TinyModels.RandomIds(1, batch: 2, length: 16, vocab: 64);

        using var logits = trained.forward(ids);
        using var penalty = regulariser.Compute(Context(logits, ids, FullMask(ids)))!;

        // τ = 0: any non-zero Δ on a window would make it positive; identical forward passes give Δ = 0 exactly.
        Assert.Equal(0f, penalty.item<float>());
    }

    [Fact]
    public void Logits_that_make_every_target_certain_pay_the_references_cross_entropy_minus_tau()
    {
        using var reference = TinyModels.Create(62);
        using var ids = TinyModels.RandomIds(2, batch: 1, length: 12, vocab: 64);
        var mask = FullMask(ids);
        var context = Context(reference.forward(ids), ids, mask);
        // +40 at each target makes log p_θ(target) = 0 to float precision, so Δ_t = −log p_ref(x_t) = the
        // reference's cross-entropy at t (about ln 64 ≈ 4.2 for a random tiny model, far above τ = 1). Every window
        // then exceeds τ and the mean of (G − τ) over windows is the mean of the window means minus τ.
        var boosted = context.Logits.detach().clone().scatter_add(-1, context.Targets.unsqueeze(-1), full(1, 12, 1, 40f));
        using var regulariser = new NgramRegulariser(TinyModels.Create(62), n: 3, tau: 1.0);

        using var penalty = regulariser.Compute(context with { Logits = boosted })!;

        var crossEntropy = nn.functional.cross_entropy(context.Logits[0, ..11], context.Targets[0, ..11],
            reduction: nn.Reduction.None).data<float>().ToArray();
        var expected = Enumerable.Range(0, 9).Average(w => crossEntropy.Skip(w).Take(3).Average()) - 1.0;
        Assert.True(crossEntropy.Min() > 1.0, $"every Δ must exceed τ; smallest {crossEntropy.Min():F3}");
        Assert.Equal(expected, penalty.item<float>(), 4);
    }

    [Fact]
    public void Gradient_reaches_the_trained_model_and_never_the_reference()
    {
        using var reference = TinyModels.Create(63);
        using var trained = TinyModels.Create(64); // different weights: some windows gain more than τ = 0
        using var regulariser = new NgramRegulariser(reference, n: 2, tau: 0.0);
        using var ids = TinyModels.RandomIds(3, batch: 2, length: 16, vocab: 64);

        using var penalty = regulariser.Compute(Context(trained.forward(ids), ids, FullMask(ids)))!;
        penalty.backward();

        Assert.True(penalty.item<float>() > 0);
        Assert.All(reference.parameters(), p =>
        {
            Assert.False(p.requires_grad);
            Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0);
        });
        Assert.All(trained.named_parameters(), p =>
            Assert.True(p.parameter.grad is not null && p.parameter.grad.abs().sum().item<float>() > 0, p.name));
    }

    [Fact]
    public void Training_with_the_term_leaves_the_reference_untouched_and_reports_the_term()
    {
        using var reference = TinyModels.Create(65);
        var before = reference.parameters().Select(p => p.detach().clone()).ToList();
        using var model = TinyModels.Create(65);
        using var regulariser = new NgramRegulariser(reference, n: 2, tau: 0.0);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 2, ContextLength = 32, LearningRate = 1e-2, Seed = 5, Threads = 2 };
        using var trainer = new LanguageModelTrainer(model, TrainingData.Repeated(copies: 8, length: 32, vocab: 64), options, regulariser);
        trainer.SetLambda(1.0);

        var result = trainer.TrainEpoch(1);

        // After the first step the model has moved towards the repeated sequence, so later steps gain over the reference.
        Assert.True(result.RegularisationLoss > 0);
        Assert.All(reference.parameters().Zip(before), pair => Assert.True(pair.First.equal(pair.Second).all().item<bool>()));
    }
}
