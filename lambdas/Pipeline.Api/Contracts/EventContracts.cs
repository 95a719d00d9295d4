using System.Text.Json;

namespace Pipeline.Api.Contracts;

/// <summary>One event. The timestamp is epoch seconds (as Personalize's sentAt) or ISO 8601.</summary>
public sealed record EventRequestBody(
    string? EventId,
    string? UserId,
    string? EventType,
    string? ItemId,
    string? SessionId,
    string? RecommendationId,
    double? EventValue,
    JsonElement? Timestamp);

/// <summary>
/// The body of <c>POST /events</c>: either one event's fields at the top level, or <c>events</c> with up to 100.
/// One shape for both keeps parsing to a single pass.
/// </summary>
public sealed record EventsRequestBody(
    IReadOnlyList<EventRequestBody?>? Events,
    string? EventId,
    string? UserId,
    string? EventType,
    string? ItemId,
    string? SessionId,
    string? RecommendationId,
    double? EventValue,
    JsonElement? Timestamp)
{
    public EventRequestBody AsSingle() =>
        new(EventId, UserId, EventType, ItemId, SessionId, RecommendationId, EventValue, Timestamp);
}

public sealed record EventAcceptedBody(string EventId, bool Duplicate);

public sealed record EventsAcceptedBody(int Accepted, int Duplicates, IReadOnlyList<EventAcceptedBody> Events);
