using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

public sealed class UnlearningCompletedValidator : AbstractValidator<UnlearningCompleted>
{
    public UnlearningCompletedValidator()
    {
        RuleFor(m => m.RequestId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.SubjectHash).NotEmpty();
        RuleFor(m => m.Forgetter).NotEmpty();
        RuleFor(m => m.Evidence).NotNull();
        RuleFor(m => m.HandledBy).NotEmpty();
    }
}
