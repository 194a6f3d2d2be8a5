using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

public sealed class EpochScoredValidator : AbstractValidator<EpochScored>
{
    public EpochScoredValidator()
    {
        RuleFor(m => m.RunId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.Epoch).GreaterThanOrEqualTo(1);
        RuleFor(m => m.Metrics).NotNull();
        RuleForEach(m => m.Metrics).Must(kv => !string.IsNullOrWhiteSpace(kv.Key) && double.IsFinite(kv.Value))
            .WithMessage("Every metric needs a name and a finite value.");
        RuleFor(m => m.Scorers).NotNull();
    }
}
