using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>
/// The API's event store on AWS: appends go to the events queue (durable once SQS acknowledges them; the
/// consumer Lambda stores them), reads go to the events table. Duplicates are dropped by the consumer, so an
/// append reports every event as new.
/// </summary>
public sealed class QueuedEventStore(SqsEventProducer producer, IEventStore table) : IEventStore
{
    public async Task<int> AppendAsync(IReadOnlyCollection<InteractionEvent> events, CancellationToken cancellationToken = default)
    {
        await producer.SendAsync(events, cancellationToken);
        return events.Count;
    }

    public Task<InteractionEvent?> GetAsync(string eventId, CancellationToken cancellationToken = default) =>
        table.GetAsync(eventId, cancellationToken);

    public Task<IReadOnlyList<InteractionEvent>> ListByUserAsync(string userId, int limit, CancellationToken cancellationToken = default) =>
        table.ListByUserAsync(userId, limit, cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken = default) => table.CountAsync(cancellationToken);
}
