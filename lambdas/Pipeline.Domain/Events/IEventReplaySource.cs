namespace Pipeline.Domain.Events;

/// <summary>
/// The stored events in the order they arrived, for rebuilding real-time model state after a restart. Only the SQLite store
/// implements it: on AWS each Lambda loads its model without a live history to replay (DynamoDB has no cheap
/// global time order), so the capability is the local host's, not part of <see cref="IEventStore"/>.
/// </summary>
public interface IEventReplaySource
{
    /// <summary>Events with a timestamp strictly after <paramref name="after"/>, in arrival order (as the learners saw them live), streamed.</summary>
    IAsyncEnumerable<InteractionEvent> ReadAfterAsync(DateTimeOffset after, CancellationToken cancellationToken = default);
}
