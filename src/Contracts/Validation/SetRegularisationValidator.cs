using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

public sealed class SetRegularisationValidator : AbstractValidator<SetRegularisation>
{
    public SetRegularisationValidator()
    {
        RuleFor(m => m.RunId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.Lambda).IsFinite().GreaterThanOrEqualTo(0);
        RuleFor(m => m.FromEpoch).GreaterThanOrEqualTo(1);
        RuleFor(m => m.Reason).NotEmpty();
        RuleFor(m => m.DecidedBy).NotEmpty();
    }
}
