using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>
/// Handles one SQS batch of the events queue: first the exposures the API logged (<see cref="ExposureRecording"/>),
/// then the interaction events through each step (store, attribute, forward to Personalize, archive to S3) on the
/// events every earlier step handled. It reports the messages that failed or could not be read, so Lambda retries only
/// those and, after the queue's maxReceiveCount, moves them to the dead-letter queue. Everything is idempotent, so a
/// redelivered message goes through all of it again.
/// </summary>
public sealed class SqsEventsConsumer
{
    private readonly IReadOnlyList<IEventBatchStep> _steps;
    private readonly ExposureRecording? _exposures;
    private readonly Action<string, Exception?, int>? _onFailure;

    /// <param name="exposures">Null on a consumer without the exposures and aggregates tables: exposure messages then fail.</param>
    /// <param name="onFailure">Called with the failing part's name, its first error and the count (the host logs them).</param>
    public SqsEventsConsumer(IReadOnlyList<IEventBatchStep> steps, ExposureRecording? exposures = null, Action<string, Exception?, int>? onFailure = null)
    {
        _steps = steps;
        _exposures = exposures;
        _onFailure = onFailure;
    }

    /// <summary>Only stores the events (no Personalize tracker or archive bucket configured).</summary>
    public SqsEventsConsumer(IEventStore events) : this([new EventStoreStep(events)])
    {
    }

    public async Task<SqsBatchResponse> HandleAsync(SqsLambdaEvent batch, CancellationToken cancellationToken = default)
    {
        var failures = new List<SqsBatchItemFailure>();
        // The producer may have sent one event (or exposure) twice: it is handled once and answers for both messages.
        var messagesByEvent = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var messagesByExposure = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var pending = new List<InteractionEvent>();
        var exposures = new List<ExposureMessage>();
        foreach (var message in batch.Records)
        {
            switch (SqsMessages.Parse(message.Body))
            {
                case InteractionEvent interaction:
                    Group(messagesByEvent, interaction.EventId, message.MessageId, () => pending.Add(interaction));
                    break;
                case ExposureMessage exposure:
                    Group(messagesByExposure, exposure.Exposure.RecommendationId, message.MessageId, () => exposures.Add(exposure));
                    break;
                default:
                    // A body that is neither will never become one: it fails until it reaches the DLQ.
                    failures.Add(new SqsBatchItemFailure(message.MessageId));
                    break;
            }
        }

        if (exposures.Count > 0)
        {
            var (failed, error) = _exposures is null
                ? (exposures.Select(e => e.Exposure.RecommendationId).ToHashSet(StringComparer.Ordinal),
                    new InvalidOperationException("This consumer records no exposures (no exposures or aggregates table)."))
                : await _exposures.HandleAsync(exposures, cancellationToken);
            if (failed.Count > 0)
            {
                _onFailure?.Invoke("exposures", error, failed.Count);
                failures.AddRange(failed.SelectMany(id => messagesByExposure[id]).Select(id => new SqsBatchItemFailure(id)));
            }
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
            _onFailure?.Invoke(step.Name, result.FirstError, result.FailedEventIds.Count);
            failures.AddRange(pending.Where(e => result.FailedEventIds.Contains(e.EventId))
                .SelectMany(e => messagesByEvent[e.EventId]).Select(id => new SqsBatchItemFailure(id)));
            pending = [.. pending.Where(e => !result.FailedEventIds.Contains(e.EventId))];
        }
        return new SqsBatchResponse(failures);
    }

    private static void Group(Dictionary<string, List<string>> messagesById, string id, string messageId, Action first)
    {
        if (!messagesById.TryGetValue(id, out var messages))
        {
            messagesById[id] = messages = [];
            first();
        }
        messages.Add(messageId);
    }
}
