namespace Pipeline.Domain.Events;

public interface IEventStore
{
    /// <summary>Stores the events durably; returns those that were new (an event id seen before is a duplicate and is ignored).</summary>
    Task<IReadOnlyList<InteractionEvent>> AppendAsync(IReadOnlyCollection<InteractionEvent> events, CancellationToken cancellationToken = default);
    Task<InteractionEvent?> GetAsync(string eventId, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<InteractionEvent>> ListByUserAsync(string userId, int limit, CancellationToken cancellationToken = default);
    Task<long> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>How many events the user had strictly before <paramref name="before"/> (pre-exposure activity).</summary>
    Task<long> CountByUserAsync(string userId, DateTimeOffset before, CancellationToken cancellationToken = default);
}
