using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Api.Contracts;
using Pipeline.Api.Http;
using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Api.Handlers;

/// <summary>Records an interaction; answers 202 only once the event is durable.</summary>
public sealed class EventsHandler(IEventStore events, TimeProvider time, ExperimentMetricsRecorder metrics)
{
    public async Task<Results<Accepted<EventAcceptedBody>, ProblemHttpResult>> RecordAsync(
        EventRequestBody body, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var eventId = errors.Optional("event_id", body.EventId) ?? Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var userId = errors.Required("user_id", body.UserId);
        var itemId = errors.Required("item_id", body.ItemId);
        var sessionId = errors.Required("session_id", body.SessionId);
        var recommendationId = errors.Optional("recommendation_id", body.RecommendationId);
        var eventType = errors.Required("event_type", body.EventType);
        if (eventType is not null && !EventTypes.IsKnown(eventType))
        {
            errors.Add("event_type", $"'event_type' must be one of: {string.Join(", ", EventTypes.All)}.");
        }
        if (body.EventValue is { } value && (!double.IsFinite(value) || value < 0))
        {
            errors.Add("event_value", "'event_value' must be a non-negative number.");
        }
        var timestamp = ParseTimestamp(body.Timestamp, errors) ?? time.GetUtcNow();
        if (errors.Any)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var interaction = new InteractionEvent(
            eventId, userId!, itemId!, eventType!, body.EventValue, sessionId!, recommendationId, timestamp);
        var inserted = await events.AppendAsync([interaction], cancellationToken);
        await metrics.RecordEventAsync(interaction, cancellationToken); // idempotent by event id: a retry after a failure still counts once
        return TypedResults.Accepted($"/events/{eventId}", new EventAcceptedBody(eventId, Duplicate: inserted == 0));
    }

    private static DateTimeOffset? ParseTimestamp(JsonElement? timestamp, ValidationErrors errors)
    {
        if (timestamp is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && seconds is >= 0 and < 32503680000)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        }
        if (value.ValueKind == JsonValueKind.String &&
            DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed.ToUniversalTime();
        }
        errors.Add("timestamp", "'timestamp' must be epoch seconds or an ISO 8601 date-time.");
        return null;
    }
}
