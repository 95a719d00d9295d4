using Pipeline.Domain.Events;

namespace Pipeline.Domain.Recommendations;

/// <summary>
/// A model that learns from events as they arrive (Personalize's PutEvents): the user's next request reflects
/// them without retraining. Implementations must be safe to call concurrently with RecommendAsync.
/// </summary>
public interface IRealtimeEvents
{
    void Record(InteractionEvent interaction);
}
