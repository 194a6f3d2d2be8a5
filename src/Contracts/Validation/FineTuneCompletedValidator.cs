using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

public sealed class FineTuneCompletedValidator : AbstractValidator<FineTuneCompleted>
{
    public FineTuneCompletedValidator()
    {
        RuleFor(m => m.RunId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.EpochsRun).GreaterThanOrEqualTo(0);
        RuleFor(m => m.BestEpoch).GreaterThanOrEqualTo(1).When(m => m.EpochsRun > 0);
        RuleFor(m => m.BestCheckpoint).NotNull().SetValidator(new CheckpointReferenceValidator()).When(m => m.EpochsRun > 0);
        RuleFor(m => m.ReportPath).IsPathText();
    }
}
