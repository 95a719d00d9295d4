namespace Pipeline.Domain.Events;

/// <summary>One user-item interaction, the row of Personalize's interactions dataset plus its serving context.</summary>
public sealed record InteractionEvent(
    string EventId,
    string UserId,
    string ItemId,
    string EventType,
    double? EventValue,
    string SessionId,
    string? RecommendationId,
    DateTimeOffset Timestamp);
