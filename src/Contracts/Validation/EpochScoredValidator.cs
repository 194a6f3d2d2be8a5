using FluentValidation;
using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Validation;

public sealed class EpochScoredValidator : AbstractValidator<EpochScored>
{
    public EpochScoredValidator()
    {
        RuleFor(m => m.RunId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.Epoch).GreaterThanOrEqualTo(1);
        RuleFor(m => m.Metrics).NotNull();
        RuleForEach(m => m.Metrics).Must(kv => !string.IsNullOrWhiteSpace(kv.Key) && double.IsFinite(kv.Value))
            .WithMessage("Every metric needs a name and a finite value.");
        RuleFor(m => m.Scorers).NotNull();
        // Labels are optional (older producers send none); when present, each names a metric of this message.
        RuleForEach(m => m.Labels)
            .Must((message, kv) => !string.IsNullOrWhiteSpace(kv.Key) && kv.Value is { Length: <= EpochScored.MaxLabelLength }
                                   && message.Metrics is not null && message.Metrics.ContainsKey(kv.Key))
            .WithMessage($"Every label needs the name of one of the message's metrics and a text of at most {EpochScored.MaxLabelLength} characters.")
            .When(m => m.Labels is not null);
    }
}
