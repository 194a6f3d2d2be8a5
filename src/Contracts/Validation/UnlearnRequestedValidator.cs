using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

/// <summary>Messages never echo the subject id: it is personal data, and validation errors end up in logs.</summary>
public sealed class UnlearnRequestedValidator : AbstractValidator<UnlearnRequested>
{
    public const int MaxSubjectIdLength = 256;
    public const int MaxRecords = 100_000;
    public const int MaxReferenceLength = 128;

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
        RuleFor(m => m.Reason).MaximumLength(2_000);
        RuleFor(m => m.Reference).MaximumLength(MaxReferenceLength)
            .Matches("^[A-Za-z0-9._:/#-]+$").WithMessage("'Reference' must be an identifier: letters, digits and . _ : / # - only.")
            .When(m => m.Reference is not null);
    }
}
