using Pipeline.DeploymentContract;
using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>
/// The API's event store on AWS: appends go to the events queue (durable once SQS acknowledges them; the
/// consumer Lambda stores them), reads go to the events table. Duplicates are dropped by the consumer, so an
/// append reports every event as new. Without a table to read, a user has no history (similar-items then serves
/// its "no item" fallback, which the metrics show) and lookups by id are refused.
/// </summary>
public sealed class QueuedEventStore(SqsEventProducer producer, IEventStore? table) : IEventStore
{
    public async Task<IReadOnlyList<InteractionEvent>> AppendAsync(IReadOnlyCollection<InteractionEvent> events, CancellationToken cancellationToken = default)
    {
        await producer.SendAsync(events, cancellationToken);
        return [.. events];
    }

    public Task<long> CountByUserAsync(string userId, DateTimeOffset before, CancellationToken cancellationToken = default) =>
        table?.CountByUserAsync(userId, before, cancellationToken) ?? Task.FromResult(0L);

    public Task<InteractionEvent?> GetAsync(string eventId, CancellationToken cancellationToken = default) =>
        Table.GetAsync(eventId, cancellationToken);

    public Task<IReadOnlyList<InteractionEvent>> ListByUserAsync(string userId, int limit, CancellationToken cancellationToken = default) =>
        table?.ListByUserAsync(userId, limit, cancellationToken) ?? Task.FromResult<IReadOnlyList<InteractionEvent>>([]);

    public Task<long> CountAsync(CancellationToken cancellationToken = default) => Table.CountAsync(cancellationToken);

    private IEventStore Table => table ?? throw new NotSupportedException($"No events table is configured ({EnvironmentVariables.EventsTable}).");
}
