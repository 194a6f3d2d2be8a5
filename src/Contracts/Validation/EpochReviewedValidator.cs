using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

public sealed class EpochReviewedValidator : AbstractValidator<EpochReviewed>
{
    public EpochReviewedValidator()
    {
        RuleFor(m => m.RunId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.Epoch).GreaterThanOrEqualTo(1);
        RuleFor(m => m.StopReason).NotEmpty().When(m => m.Stop);
        RuleFor(m => m.Lambda!.Value).IsFinite().GreaterThanOrEqualTo(0).When(m => m.Lambda is not null).OverridePropertyName("Lambda");
        RuleFor(m => m.Policies).NotNull();
    }
}
