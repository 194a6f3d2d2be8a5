using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

public sealed class StopTrainingValidator : AbstractValidator<StopTraining>
{
    public StopTrainingValidator()
    {
        RuleFor(m => m.RunId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.Epoch).GreaterThanOrEqualTo(1);
        RuleFor(m => m.Reason).NotEmpty();
        RuleFor(m => m.DecidedBy).NotEmpty();
    }
}
