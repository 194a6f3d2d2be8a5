using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

public sealed class CheckpointSavedValidator : AbstractValidator<CheckpointSaved>
{
    public CheckpointSavedValidator()
    {
        RuleFor(m => m.RunId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.Epoch).GreaterThanOrEqualTo(0);
        RuleFor(m => m.Checkpoint).NotNull().SetValidator(new CheckpointReferenceValidator());
        RuleFor(m => m.Kind).Must(k => CheckpointSaved.Kinds.Contains(k))
            .WithMessage($"'Kind' must be one of: {string.Join(", ", CheckpointSaved.Kinds)}.");
    }
}
