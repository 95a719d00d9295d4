using Pipeline.Domain.Events;

namespace Pipeline.Personalize.Local.Runtime;

/// <summary>
/// A model whose recommendations change as soon as events arrive (Personalize's real-time updates for
/// user-personalization). PutEvents hands each event to every campaign model of the tracker's dataset group that
/// implements it. A stand-in until Pipeline.Domain defines its own interface; only this call site needs to change.
/// </summary>
public interface IAcceptsRealTimeEvents
{
    void Observe(InteractionEvent interactionEvent);
}
