using FluentValidation;
using Pipeline.Contracts.Validation;

namespace Pipeline.Lab.Benchmarks.Bus;

/// <summary>Benchmark messages pass the same validation filter as real ones, so its cost is in the figures.</summary>
public sealed class BenchPingValidator : AbstractValidator<BenchPing>
{
    public BenchPingValidator()
    {
        RuleFor(m => m.RunId).IsCorrelationId();
        RuleFor(m => m.Timestamp).IsTimestamp();
        RuleFor(m => m.Sequence).GreaterThanOrEqualTo(0);
    }
}
