using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

/// <summary>Messages never echo the subject id: it is personal data, and validation errors end up in logs.</summary>
public sealed class UnlearnRequestedValidator : AbstractValidator<UnlearnRequested>
{
    public const int MaxSubjectIdLength = 256;
    public const int MaxRecords = 100_000;
    public const int MaxReferenceLength = 128;
    public const int MaxRecordIdLength = 256;

    public UnlearnRequestedValidator()
    {
        RuleFor(m => m.RequestId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.SubjectId).NotEmpty().WithMessage("'Subject Id' must be present.")
            .MaximumLength(MaxSubjectIdLength).WithMessage($"'Subject Id' must be at most {MaxSubjectIdLength} characters.");
        RuleFor(m => m.RecordIds!.Count).LessThanOrEqualTo(MaxRecords).When(m => m.RecordIds is not null)
            .OverridePropertyName("RecordIds");
        RuleForEach(m => m.RecordIds).NotEmpty().When(m => m.RecordIds is not null)
            .WithMessage("'Record Ids' must not contain empty ids.");
        RuleForEach(m => m.RecordIds).MaximumLength(MaxRecordIdLength).When(m => m.RecordIds is not null)
            .WithMessage($"'Record Ids' must be at most {MaxRecordIdLength} characters each.");
        RuleFor(m => m.Reason).MaximumLength(2_000);
        RuleFor(m => m.Reference).MaximumLength(MaxReferenceLength)
            .Matches("^[A-Za-z0-9._:/#-]+$").WithMessage("'Reference' must be an identifier: letters, digits and . _ : / # - only.")
            .When(m => m.Reference is not null);
        // Signature fields are checked for shape here and for authenticity by the host, which audits what it refuses.
        RuleFor(m => m.Publisher).MaximumLength(64).Matches("^[A-Za-z0-9._-]+$")
            .WithMessage("'Publisher' must be a key name: letters, digits and . _ - only.").When(m => m.Publisher is not null);
        RuleFor(m => m.Nonce).Length(16, 128).Matches("^[A-Za-z0-9_-]+$")
            .WithMessage("'Nonce' must be 16 to 128 letters, digits, - or _.").When(m => m.Nonce is not null);
        RuleFor(m => m.Signature).MaximumLength(128).When(m => m.Signature is not null);
    }
}
