using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>
/// Stores the events in the events table. The store ignores event ids it already has, so a redelivered message is a
/// no-op here and still goes on to the later steps (an earlier delivery may have failed after storing it).
/// </summary>
public sealed class EventStoreStep(IEventStore store) : IEventBatchStep
{
    public string Name => "store";

    public async Task<EventStepResult> HandleAsync(IReadOnlyList<InteractionEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            await store.AppendAsync(events, cancellationToken);
            return EventStepResult.Success;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The append is one call for the batch: which events made it is unknown, and retrying all of them is safe.
            return EventStepResult.AllFailed(events, e);
        }
    }
}
