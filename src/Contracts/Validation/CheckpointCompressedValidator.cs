using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

public sealed class CheckpointCompressedValidator : AbstractValidator<CheckpointCompressed>
{
    public CheckpointCompressedValidator()
    {
        RuleFor(m => m.RunId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.Source).NotNull().SetValidator(new CheckpointReferenceValidator());
        RuleFor(m => m.Compressed).NotNull().SetValidator(new CheckpointReferenceValidator());
        RuleFor(m => m.Method).NotEmpty();
        RuleFor(m => m.Compressor).NotEmpty();
        RuleFor(m => m.Bytes).GreaterThan(0);
        RuleFor(m => m.Ratio).IsFinite().GreaterThan(0);
        RuleFor(m => m.Metrics).NotNull();
    }
}
