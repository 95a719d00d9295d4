using System.Text.Json;
using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>
/// Handles one SQS batch of interaction events: runs each step (store, forward to Personalize, archive to S3) on the
/// events every earlier step handled, and reports the messages whose event failed a step or could not be read, so
/// Lambda retries only those and, after the queue's maxReceiveCount, moves them to the dead-letter queue. Every step
/// is idempotent, so a redelivered message goes through all of them again.
/// </summary>
public sealed class SqsEventsConsumer
{
    private readonly IReadOnlyList<IEventBatchStep> _steps;
    private readonly Action<IEventBatchStep, EventStepResult>? _onStepFailure;

    /// <param name="onStepFailure">Called with each step's failures (the host logs them).</param>
    public SqsEventsConsumer(IReadOnlyList<IEventBatchStep> steps, Action<IEventBatchStep, EventStepResult>? onStepFailure = null)
    {
        _steps = steps;
        _onStepFailure = onStepFailure;
    }

    /// <summary>Only stores the events (no Personalize tracker or archive bucket configured).</summary>
    public SqsEventsConsumer(IEventStore events) : this([new EventStoreStep(events)])
    {
    }

    public async Task<SqsBatchResponse> HandleAsync(SqsLambdaEvent batch, CancellationToken cancellationToken = default)
    {
        var failures = new List<SqsBatchItemFailure>();
        // The producer may have sent one event twice: the event is handled once and answers for both messages.
        var messagesByEvent = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var pending = new List<InteractionEvent>();
        foreach (var message in batch.Records)
        {
            if (TryParse(message.Body) is not { } interaction)
            {
                // A body that is not an event will never become one: it fails until it reaches the DLQ.
                failures.Add(new SqsBatchItemFailure(message.MessageId));
                continue;
            }
            if (!messagesByEvent.TryGetValue(interaction.EventId, out var messages))
            {
                messagesByEvent[interaction.EventId] = messages = [];
                pending.Add(interaction);
            }
            messages.Add(message.MessageId);
        }

        foreach (var step in _steps)
        {
            if (pending.Count == 0)
            {
                break;
            }
            var result = await step.HandleAsync(pending, cancellationToken);
            if (result.FailedEventIds.Count == 0)
            {
                continue;
            }
            _onStepFailure?.Invoke(step, result);
            failures.AddRange(pending.Where(e => result.FailedEventIds.Contains(e.EventId))
                .SelectMany(e => messagesByEvent[e.EventId]).Select(id => new SqsBatchItemFailure(id)));
            pending = [.. pending.Where(e => !result.FailedEventIds.Contains(e.EventId))];
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
