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

    /// <summary>Longer than any path Linux accepts (PATH_MAX is 4096 bytes).</summary>
    public const int MaxPathLength = 4096;

    /// <summary>
    /// A file or folder name, or a corpus name: present, at most MaxPathLength characters, no control characters (a NUL
    /// cuts a path short in native code, and newlines forge log lines). Where it may point is the host's decision.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> IsPathText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty()
            .MaximumLength(MaxPathLength).WithMessage($"'{{PropertyName}}' must be at most {MaxPathLength} characters.")
            .Must(text => text is null || !text.Any(char.IsControl)).WithMessage("'{PropertyName}' must not contain control characters.");

    public static IRuleBuilderOptions<T, double> IsFinite<T>(this IRuleBuilder<T, double> rule) =>
        rule.Must(double.IsFinite).WithMessage("'{PropertyName}' must be a finite number.");
}
