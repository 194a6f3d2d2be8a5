using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

public sealed class StartFineTuneValidator : AbstractValidator<StartFineTune>
{
    public StartFineTuneValidator()
    {
        RuleFor(m => m.RunId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.BaseModel).IsPathText();
        RuleFor(m => m.Dataset).IsPathText();
        RuleFor(m => m.ValidationDataset).IsPathText().When(m => m.ValidationDataset is not null);
        RuleFor(m => m.Epochs).InclusiveBetween(1, 10_000);
        RuleFor(m => m.LearningRate).IsFinite().GreaterThan(0);
        RuleFor(m => m.Regulariser).Must(r => StartFineTune.Regularisers.Contains(r))
            .WithMessage($"'Regulariser' must be one of: {string.Join(", ", StartFineTune.Regularisers)}.");
        RuleFor(m => m.Lambda).IsFinite().GreaterThanOrEqualTo(0);
        RuleFor(m => m.BatchSize).InclusiveBetween(1, 4096);
        RuleFor(m => m.ContextLength).InclusiveBetween(8, 32_768);
        RuleFor(m => m.MaxRecords).GreaterThanOrEqualTo(1);
        RuleFor(m => m.RunsDirectory).IsPathText();
        RuleFor(m => m.Precision).Must(p => StartFineTune.Precisions.Contains(p))
            .WithMessage($"'Precision' must be one of: {string.Join(", ", StartFineTune.Precisions)}.");
    }
}
