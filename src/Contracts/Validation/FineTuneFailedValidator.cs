using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

public sealed class FineTuneFailedValidator : AbstractValidator<FineTuneFailed>
{
    public FineTuneFailedValidator()
    {
        RuleFor(m => m.RunId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.Reason).NotEmpty();
    }
}
