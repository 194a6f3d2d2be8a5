using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

public sealed class EpochCompletedValidator : AbstractValidator<EpochCompleted>
{
    public EpochCompletedValidator()
    {
        RuleFor(m => m.RunId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.Epoch).GreaterThanOrEqualTo(1);
        RuleFor(m => m.Checkpoint).NotNull().SetValidator(new CheckpointReferenceValidator());
        RuleFor(m => m.TrainLoss).IsFinite().GreaterThanOrEqualTo(0);
        RuleFor(m => m.ValLoss).IsFinite().GreaterThanOrEqualTo(0);
        RuleFor(m => m.BaseModel).IsPathText();
        RuleFor(m => m.Dataset).IsPathText();
        RuleFor(m => m.TrainSample).IsPathText().When(m => m.TrainSample is not null);
        RuleFor(m => m.HeldOutSample).IsPathText().When(m => m.HeldOutSample is not null);
    }
}
