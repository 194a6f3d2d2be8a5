using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

public sealed class UnlearningRejectedValidator : AbstractValidator<UnlearningRejected>
{
    public UnlearningRejectedValidator()
    {
        RuleFor(m => m.RequestId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.Reason).NotEmpty();
        RuleFor(m => m.HandledBy).NotEmpty();
    }
}
