using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Api.Contracts;
using Pipeline.Api.Http;
using Pipeline.Api.Observability;
using Pipeline.Domain.Recommendations;
using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Api.Handlers;

/// <summary>
/// Records interactions; answers 202 only once they are durable. A batch is all or nothing: one invalid event
/// rejects the whole request and nothing is stored. Event ids make retries safe (duplicates are counted, not stored).
/// </summary>
public sealed class EventsHandler(IEventStore events, RealtimeEventForwarder forwarder, ApiMetrics metrics, TimeProvider time,
    IExperimentTracking tracking, EventOptions options)
{
    public const int MaxBatch = 100;

    public async Task<Results<Accepted<EventAcceptedBody>, Accepted<EventsAcceptedBody>, ProblemHttpResult>> RecordAsync(
        EventsRequestBody body, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var isBatch = body.Events is not null;
        IReadOnlyList<EventRequestBody?> requested = isBatch ? body.Events! : [body.AsSingle()];
        if (isBatch && requested.Count is 0 or > MaxBatch)
        {
            errors.Add("events", $"'events' must hold between 1 and {MaxBatch} events.");
        }
        var parsed = new List<InteractionEvent>(requested.Count);
        for (var i = 0; i < requested.Count && !errors.Any; i++)
        {
            var prefix = isBatch ? $"events[{i}]." : "";
            if (requested[i] is not { } one)
            {
                errors.Add($"events[{i}]", "An event must be a JSON object.");
                continue;
            }
            if (Parse(one, prefix, errors) is { } interaction)
            {
                parsed.Add(interaction);
            }
        }
        if (errors.Any)
        {
            metrics.EventsRejected(requested.Count);
            return Problems.Validation(errors.ToDictionary());
        }

        var stored = await events.AppendAsync(parsed, cancellationToken);
        var duplicates = parsed.Count - stored.Count;
        metrics.EventsAccepted(stored.Count, duplicates);
        forwarder.Forward(stored);
        await tracking.EventsAcceptedAsync(parsed, cancellationToken); // every event: idempotent by event id, so retries heal
        var isNew = stored.Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
        var results = parsed.Select(e => new EventAcceptedBody(e.EventId, Duplicate: !isNew.Contains(e.EventId))).ToArray();
        return isBatch
            ? TypedResults.Accepted((string?)null, new EventsAcceptedBody(stored.Count, duplicates, results))
            : TypedResults.Accepted($"/events/{results[0].EventId}", results[0]);
    }

    private InteractionEvent? Parse(EventRequestBody body, string prefix, ValidationErrors errors)
    {
        var before = errors.Count;
        var eventId = errors.Optional(prefix + "event_id", body.EventId) ?? Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var userId = errors.Required(prefix + "user_id", body.UserId);
        var itemId = errors.Required(prefix + "item_id", body.ItemId);
        var sessionId = errors.Required(prefix + "session_id", body.SessionId);
        var recommendationId = errors.Optional(prefix + "recommendation_id", body.RecommendationId);
        var eventType = errors.Required(prefix + "event_type", body.EventType);
        if (eventType is not null && !EventTypes.IsKnown(eventType))
        {
            errors.Add(prefix + "event_type", $"'event_type' must be one of: {string.Join(", ", EventTypes.All)}.");
        }
        if (body.EventValue is { } value && (!double.IsFinite(value) || value < 0 || value > options.MaxEventValue))
        {
            errors.Add(prefix + "event_value", string.Create(CultureInfo.InvariantCulture,
                $"'event_value' must be a number from 0 to {options.MaxEventValue} ({EventOptions.Section}:{nameof(EventOptions.MaxEventValue)})."));
        }
        var timestamp = Timestamps.Parse(body.Timestamp, prefix + "timestamp", errors, time.GetUtcNow(), name: "timestamp") ?? time.GetUtcNow();
        return errors.Count > before
            ? null
            : new InteractionEvent(eventId, userId!, itemId!, eventType!, body.EventValue, sessionId!, recommendationId, timestamp);
    }
}
