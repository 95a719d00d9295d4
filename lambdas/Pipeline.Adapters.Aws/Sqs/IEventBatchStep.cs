using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>
/// One thing the events consumer does with the events of an SQS batch (store, forward to Personalize, archive).
/// Each step must be idempotent: a message whose event fails any step is redelivered and goes through every step again.
/// </summary>
public interface IEventBatchStep
{
    /// <summary>Short name for logs.</summary>
    string Name { get; }

    /// <summary>Handles the events (distinct event ids) and reports the ids it could not handle.</summary>
    Task<EventStepResult> HandleAsync(IReadOnlyList<InteractionEvent> events, CancellationToken cancellationToken);
}

/// <summary>The event ids a step could not handle, and the first error (for the log).</summary>
public sealed record EventStepResult(IReadOnlySet<string> FailedEventIds, Exception? FirstError = null)
{
    public static EventStepResult Success { get; } = new(new HashSet<string>(StringComparer.Ordinal));

    public static EventStepResult AllFailed(IEnumerable<InteractionEvent> events, Exception error) =>
        new(events.Select(e => e.EventId).ToHashSet(StringComparer.Ordinal), error);
}
