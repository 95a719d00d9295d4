using Pipeline.Domain.Events;

namespace Pipeline.Domain.Recommendations;

/// <summary>
/// A model that learns from events as they arrive (Personalize's PutEvents): the user's next request reflects
/// them without retraining. Implementations must be safe to call concurrently with RecommendAsync.
/// </summary>
public interface IRealtimeEvents
{
    void Record(InteractionEvent interaction);

    /// <summary>
    /// The time up to which events are already in the trained model: a replay after a restart records only later
    /// ones. A model that does not know its training time has learned no live event, so everything is replayed.
    /// </summary>
    DateTimeOffset LearnedThrough => DateTimeOffset.MinValue;

    /// <summary>
    /// Bounds how many users' real-time state the model keeps (the host's configured bound; at least 2). A model
    /// that keeps no per-user state ignores it.
    /// </summary>
    void LimitUsers(int maxUsers)
    {
    }
}
