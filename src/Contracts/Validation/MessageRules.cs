using FluentValidation;

namespace Pipeline.Contracts.Validation;

/// <summary>Rules every message shares: a real correlation id and a real timestamp.</summary>
public static class MessageRules
{
    /// <summary>Clocks drift; a timestamp further ahead than this is a producer bug, not drift.</summary>
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(10);

    public static IRuleBuilderOptions<T, Guid> IsCorrelationId<T>(this IRuleBuilder<T, Guid> rule) =>
        rule.NotEqual(Guid.Empty).WithMessage("'{PropertyName}' must be a non-empty GUID.");

    public static IRuleBuilderOptions<T, DateTimeOffset> IsTimestamp<T>(this IRuleBuilder<T, DateTimeOffset> rule) =>
        rule.Must(t => t != default && t <= DateTimeOffset.UtcNow + AllowedClockSkew)
            .WithMessage("'{PropertyName}' must be set and not in the future.");

    public static IRuleBuilderOptions<T, double> IsFinite<T>(this IRuleBuilder<T, double> rule) =>
        rule.Must(double.IsFinite).WithMessage("'{PropertyName}' must be a finite number.");
}
