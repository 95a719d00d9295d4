namespace Pipeline.Domain.Recommendations;

/// <summary>
/// A model that learns from events as they arrive (Personalize's PutEvents for user-personalization): the user's
/// next recommendations reflect the event without retraining. The API and the local Personalize service call it.
/// </summary>
public interface IRealtimeEvents
{
    void Record(string userId, string itemId, string eventType, DateTimeOffset timestamp);
}
