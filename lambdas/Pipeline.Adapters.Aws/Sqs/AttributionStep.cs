using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>
/// Credits clicks and purchases to the exposures they convert (idempotent by event id). The exposure travels through
/// the same queue and may be in a batch handled after this one: an event whose exposure is not stored yet and that
/// happened less than <see cref="ExposureGrace"/> ago is reported failed, so SQS redelivers it after the visibility
/// timeout (6 minutes, the events queue's); older ones are not attributable (an unknown or expired recommendation id).
/// </summary>
public sealed class AttributionStep(ExperimentMetricsRecorder recorder, TimeProvider time) : IEventBatchStep
{
    /// <summary>
    /// Two redeliveries at most within it (visibility timeout 6 min), well under the queue's maxReceiveCount of 5, so a
    /// waiting event never reaches the dead-letter queue for this reason alone.
    /// </summary>
    public static readonly TimeSpan ExposureGrace = TimeSpan.FromMinutes(10);

    public string Name => "attribute";

    public async Task<EventStepResult> HandleAsync(IReadOnlyList<InteractionEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            var unexposed = await recorder.RecordEventsAsync(events, cancellationToken);
            var now = time.GetUtcNow();
            var waiting = unexposed.Where(e => now - e.Timestamp < ExposureGrace).Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
            return waiting.Count == 0
                ? EventStepResult.Success
                : new EventStepResult(waiting, new InvalidOperationException($"{waiting.Count} events wait for their exposure to be recorded."));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return EventStepResult.AllFailed(events, e);
        }
    }
}
