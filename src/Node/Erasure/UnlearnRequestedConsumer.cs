using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Messages;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Hosting;
using Pipeline.Node.Privacy;
using Pipeline.Node.Erasure.Security;
using Pipeline.Node.Bus;

namespace Pipeline.Node.Erasure;

/// <summary>
/// An erasure request arrived. It is acted on only when authentic: signed by a configured publisher, fresh, and with a
/// nonce not used before (<see cref="ErasureRequestAuthenticator"/>, the ledger's nonces shared by all nodes). A refused
/// request is audited in the ledger's refused list — never among the erasures, since its id is unauthenticated — and
/// answered with UnlearningRejected, except a replay of a request already received, whose real outcome stands.
/// An accepted request is written to the ledger before the message is acknowledged (so nothing accepted is lost),
/// then queued for the erasure processor; erasures are long, and running them from the ledger keeps RabbitMQ's
/// consumer timeout out of the picture. A request id already in the ledger and redelivered by the broker is a
/// duplicate: nothing more happens.
/// </summary>
public sealed class UnlearnRequestedConsumer(IErasureLedger ledger, ErasureQueue queue, SubjectHasher hasher, NodeIdentity node,
    ErasureRequestAuthenticator authenticator, ILogger<UnlearnRequestedConsumer> logger) : IConsumer<UnlearnRequested>
{
    public async Task Consume(ConsumeContext<UnlearnRequested> context)
    {
        var request = context.Message;
        var subjectHash = hasher.Hash(request.SubjectId);
        if (authenticator.Refusal(request, DateTimeOffset.UtcNow) is { } refusal)
        {
            await RefuseAsync(context, subjectHash, refusal, answer: true);
            return;
        }

        // The nonce is claimed in the transaction that records the request: one durable write per accepted request.
        var nonce = authenticator.RequireSignature
            ? new NonceClaim(request.Publisher!, request.Nonce!, DateTimeOffset.UtcNow - authenticator.NonceLifetime)
            : null;
        switch (ledger.Receive(request, subjectHash, node.Name, nonce))
        {
            case Receipt.NonceOfAnotherRequest:
                await RefuseAsync(context, subjectHash, "replayed: the nonce was already used by another request", answer: true);
                return;
            // The same signed request again: a broker redelivery is expected; anything else is a replay, audited. Either
            // way the request is acted on once.
            case Receipt.SameSignedRequestAgain when !context.ReceiveContext.Redelivered:
                await RefuseAsync(context, subjectHash, "replayed: this signed request was already received", answer: false);
                return;
            case Receipt.SameSignedRequestAgain or Receipt.AlreadyReceived:
                logger.LogInformation("Erasure {RequestId} for {SubjectHash} is already in the ledger; duplicate ignored", request.RequestId, subjectHash);
                return;
        }

        logger.LogInformation("Erasure {RequestId} for {SubjectHash} received from {Publisher} ({Records} records named)", request.RequestId, subjectHash,
            request.Publisher ?? "an unsigned publisher", request.RecordIds?.Count ?? 0);
        queue.Enqueue(request.RequestId);
    }

    private async Task RefuseAsync(ConsumeContext<UnlearnRequested> context, string subjectHash, string reason, bool answer)
    {
        var request = context.Message;
        // A node killed after refusing but before acknowledging gets the message again: audited once, answered again
        // (the first answer may not have gone out) under the same MessageId, so subscribers drop the copy.
        ledger.RecordRefused(request.RequestId, request.Publisher, reason, node.Name, context.ReceiveContext.Redelivered);
        logger.LogWarning("Erasure request {RequestId} for {SubjectHash} refused, not acted on: {Reason}", request.RequestId, subjectHash, reason);
        // A genuine request of this id stands: its own outcome is the answer, not the refusal of a copy.
        if (answer && ledger.Find(request.RequestId) is null)
            await context.Publish(new UnlearningRejected(request.RequestId, subjectHash, $"not authenticated: {reason}", node.Name, DateTimeOffset.UtcNow),
                p => p.MessageId = OutcomeMessageId.OfRefusal(request.RequestId));
    }
}

/// <summary>The endpoint of <see cref="UnlearnRequestedConsumer"/> (kebab-case of the consumer's name): retry and concurrency.</summary>
public sealed class UnlearnRequestedConsumerDefinition : ConsumerDefinition<UnlearnRequestedConsumer>
{
    public UnlearnRequestedConsumerDefinition() => ConcurrentMessageLimit = 8;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<UnlearnRequestedConsumer> consumer,
        IRegistrationContext context)
    {
        // Data-governance systems that are not .NET publish plain JSON (content type application/json) to this endpoint.
        endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: false);
        RetryPolicy.Apply(endpoint);
    }
}
