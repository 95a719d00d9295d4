using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Adapters.Aws.Sqs;

/// <summary>
/// The API's experiment tracking on AWS: a served list is one message on the events queue (durable once SQS has it),
/// and accepted events are already there; the consumer records both (<see cref="ExposureRecording"/>,
/// <see cref="AttributionStep"/>). A request then writes nothing to DynamoDB, and the aggregates are written per
/// consumer batch instead of per request.
/// </summary>
public sealed class QueuedExperimentTracking(SqsEventProducer producer) : IExperimentTracking
{
    public Task ExposedAsync(Exposure exposure, int phase, TimeSpan latency, int period = 0, CancellationToken cancellationToken = default) =>
        producer.SendExposureAsync(new ExposureMessage(exposure, phase, latency.TotalMilliseconds, period), cancellationToken);

    public Task EventsAcceptedAsync(IReadOnlyList<InteractionEvent> events, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
