using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

public sealed class FineTuneFailedValidator : AbstractValidator<FineTuneFailed>
{
    public FineTuneFailedValidator()
    {
        RuleFor(m => m.RunId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.Reason).NotEmpty().Must(r => !r.Contains('\n') && !r.Contains('\r')).WithMessage("Reason must be one line");
        RuleFor(m => m.LastCompletedEpoch).GreaterThan(0).When(m => m.LastCompletedEpoch is not null);
    }
}
