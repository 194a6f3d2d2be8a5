using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

public sealed class CheckpointReferenceValidator : AbstractValidator<CheckpointReference>
{
    public CheckpointReferenceValidator()
    {
        RuleFor(c => c.Path).IsPathText();
        RuleFor(c => c.Sha256).NotEmpty().Matches("^[0-9a-fA-F]{64}$")
            .WithMessage("'Sha256' must be 64 hexadecimal characters.");
    }
}
