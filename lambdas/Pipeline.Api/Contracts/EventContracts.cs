using System.Text.Json;

namespace Pipeline.Api.Contracts;

/// <summary>The body of <c>POST /events</c>. The timestamp is epoch seconds (as Personalize's sentAt) or ISO 8601.</summary>
public sealed record EventRequestBody(
    string? EventId,
    string? UserId,
    string? EventType,
    string? ItemId,
    string? SessionId,
    string? RecommendationId,
    double? EventValue,
    JsonElement? Timestamp);

public sealed record EventAcceptedBody(string EventId, bool Duplicate);
