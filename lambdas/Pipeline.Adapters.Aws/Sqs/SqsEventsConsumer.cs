using System.Text.Json;
using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>
/// Handles one SQS batch of interaction events: stores them (the store ignores redelivered event ids) and
/// reports the messages that could not be handled, so Lambda retries only those and, after the queue's
/// maxReceiveCount, moves them to the dead-letter queue.
/// </summary>
public sealed class SqsEventsConsumer(IEventStore events)
{
    public async Task<SqsBatchResponse> HandleAsync(SqsLambdaEvent batch, CancellationToken cancellationToken = default)
    {
        var failures = new List<SqsBatchItemFailure>();
        var parsed = new List<(string MessageId, InteractionEvent Event)>();
        foreach (var message in batch.Records)
        {
            if (TryParse(message.Body) is { } interaction)
            {
                parsed.Add((message.MessageId, interaction));
            }
            else
            {
                // A body that is not an event will never become one: it fails until it reaches the DLQ.
                failures.Add(new SqsBatchItemFailure(message.MessageId));
            }
        }
        if (parsed.Count > 0)
        {
            try
            {
                await events.AppendAsync([.. parsed.Select(p => p.Event)], cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The append is idempotent, so retrying every message of the batch is safe.
                failures.AddRange(parsed.Select(p => new SqsBatchItemFailure(p.MessageId)));
            }
        }
        return new SqsBatchResponse(failures);
    }

    private static InteractionEvent? TryParse(string body)
    {
        try
        {
            var e = JsonSerializer.Deserialize(body, SqsJsonContext.Default.InteractionEvent);
            return e is { EventId.Length: > 0, UserId.Length: > 0, ItemId.Length: > 0, EventType.Length: > 0 } ? e : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
