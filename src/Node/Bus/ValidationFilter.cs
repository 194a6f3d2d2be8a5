using FluentValidation;
using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Node.Hosting;

namespace Pipeline.Node.Bus;

/// <summary>
/// Consume filter on every endpoint: runs the message's FluentValidation validators before any consumer sees it.
/// An invalid message is logged with its reasons and faulted with MessageValidationException, which the retry
/// policies ignore, so it lands in the endpoint's _error queue at once; where the type has a refusal notice (a
/// StartFineTune's FineTuneFailed), that is published first, with the reasons.
/// </summary>
public sealed class ValidationFilter<T>(IEnumerable<IValidator<T>> validators, IEnumerable<IRefusalNotice<T>> notices, NodeIdentity node,
    MessageCounters counters, ILogger<ValidationFilter<T>> logger)
    : IFilter<ConsumeContext<T>> where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var errors = new List<string>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(context.Message, context.CancellationToken).ConfigureAwait(false);
            // Only the rule's message, never the attempted value: values may be personal data.
            errors.AddRange(result.Errors.Select(e => e.ErrorMessage));
        }

        if (errors.Count > 0)
        {
            counters.Rejected(typeof(T).Name);
            logger.LogWarning("Rejected {MessageType} {MessageId} on {Endpoint}: {Reasons}",
                typeof(T).Name, context.MessageId, context.ReceiveContext.InputAddress, string.Join(" ", errors));
            foreach (var notice in notices)
                if (notice.NoticeFor(context.Message, $"refused by {node.Name}: {string.Join(" ", errors)}") is { } refusal)
                    await context.Publish(refusal, refusal.GetType()).ConfigureAwait(false);
            throw new MessageValidationException(typeof(T).Name, errors);
        }

        counters.Accepted(typeof(T).Name);
        await next.Send(context).ConfigureAwait(false);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("validation");
}
