using Pipeline.Adapters.Aws.Sqs;
using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Aws.Personalize;

/// <summary>
/// Forwards events to the Personalize event tracker with PutEvents. One call carries one user and session and at most
/// ten events, so the batch is grouped by (user, session) and a rejected call fails only its own events. Our event id
/// is sent as Personalize's eventId: Personalize ignores later events with an id it has seen for training, which makes a
/// redelivered message harmless.
/// </summary>
public sealed class PersonalizeEventForwarder(PersonalizeEventsClient client, string trackingId) : IEventBatchStep
{
    public string Name => "personalize";

    public async Task<EventStepResult> HandleAsync(IReadOnlyList<InteractionEvent> events, CancellationToken cancellationToken)
    {
        var calls = events
            .GroupBy(e => (e.UserId, e.SessionId))
            .SelectMany(group => group.Chunk(PersonalizeEventsClient.MaxEventsPerCall).Select(chunk => (group.Key, Events: chunk)))
            .Select(call => SendAsync(call.Key.UserId, call.Key.SessionId, call.Events, cancellationToken));
        var failures = (await Task.WhenAll(calls)).Where(f => f is not null).Select(f => f!.Value).ToList();
        return failures.Count == 0
            ? EventStepResult.Success
            : new EventStepResult(failures.SelectMany(f => f.Events).Select(e => e.EventId).ToHashSet(StringComparer.Ordinal), failures[0].Error);
    }

    private async Task<(InteractionEvent[] Events, Exception Error)?> SendAsync(
        string userId, string sessionId, InteractionEvent[] events, CancellationToken cancellationToken)
    {
        try
        {
            await client.PutEventsAsync(new PutEventsRequest
            {
                TrackingId = trackingId,
                UserId = userId,
                SessionId = sessionId,
                EventList = [.. events.Select(ToPersonalize)],
            }, cancellationToken);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (events, e);
        }
    }

    public static PersonalizeEvent ToPersonalize(InteractionEvent e) => new()
    {
        EventId = e.EventId,
        EventType = e.EventType,
        EventValue = e.EventValue,
        ItemId = e.ItemId,
        SentAt = e.Timestamp.ToUnixTimeMilliseconds() / 1000.0,
        RecommendationId = e.RecommendationId,
    };
}
