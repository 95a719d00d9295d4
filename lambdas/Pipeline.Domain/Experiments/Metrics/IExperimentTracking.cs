using Pipeline.Domain.Events;

namespace Pipeline.Domain.Experiments.Metrics;

/// <summary>
/// Where served lists and accepted events go to become an experiment's metrics. On one machine they are recorded in
/// the request (<see cref="ImmediateExperimentTracking"/>); on AWS they leave the request path through the events queue
/// and its consumer records them, so a request writes nothing to DynamoDB.
/// </summary>
public interface IExperimentTracking
{
    /// <summary>
    /// Logs the list served to a user assigned in <paramref name="phase"/> (not a forced variant) with the weights of
    /// bandit <paramref name="period"/> (0 for a fixed split).
    /// </summary>
    Task ExposedAsync(Exposure exposure, int phase, TimeSpan latency, int period = 0, CancellationToken cancellationToken = default);

    /// <summary>Attributes events the events store accepted to the exposures they convert.</summary>
    Task EventsAcceptedAsync(IReadOnlyList<InteractionEvent> events, CancellationToken cancellationToken = default);
}
