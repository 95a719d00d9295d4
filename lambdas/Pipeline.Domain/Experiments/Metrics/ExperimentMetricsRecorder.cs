using Pipeline.Domain.Events;

namespace Pipeline.Domain.Experiments.Metrics;

/// <summary>
/// Keeps each experiment's aggregates current as exposures and events arrive (through <see cref="IExperimentTracking"/>:
/// in the request on one machine, in the events consumer on AWS). Both are idempotent, by recommendation id and by
/// event id, so a redelivered message or a retried request is not counted twice.
/// </summary>
public sealed class ExperimentMetricsRecorder(IExperimentMetricsStore store, IExposureStore exposures, IEventStore events)
{
    /// <summary>
    /// Reads what the update needs and queues it; the returned task is the update's commit. <paramref name="period"/> is
    /// the bandit period of the weights that bucketed the user (0 for a fixed split), stamped if this is their entry.
    /// </summary>
    public async Task<Task> StartExposureAsync(Exposure exposure, int phase, TimeSpan latency, int period = 0, CancellationToken cancellationToken = default)
    {
        var state = await store.GetUserAsync(exposure.ExperimentKey, exposure.UserId, cancellationToken);
        // The covariate is counted once, when the user enters the phase: their events before this exposure.
        var covariate = state is null || state.Phase < phase
            ? await events.CountByUserAsync(exposure.UserId, exposure.Timestamp, cancellationToken)
            : 0;
        var latencyMs = latency.TotalMilliseconds;
        return store.UpdateAsync(exposure.ExperimentKey, exposure.UserId, "exposure:" + exposure.RecommendationId,
            current => ExperimentUserMetrics.OnExposure(current, phase, exposure, covariate, latencyMs, period),
            CancellationToken.None);
    }

    /// <summary>Records the exposure and waits for its commit (the events consumer, and tests).</summary>
    public async Task RecordExposureAsync(Exposure exposure, int phase, TimeSpan latency, int period = 0, CancellationToken cancellationToken = default) =>
        await await StartExposureAsync(exposure, phase, latency, period, cancellationToken);

    public Task RecordEventAsync(InteractionEvent interaction, CancellationToken cancellationToken = default) =>
        RecordEventsAsync([interaction], cancellationToken);

    /// <summary>
    /// Queues the updates of every event in order, then waits for all of them: a batch shares one group commit
    /// instead of waiting for one commit per event. Returns the attributable events whose exposure is not stored
    /// (unknown, or not yet recorded by the consumer).
    /// </summary>
    public async Task<IReadOnlyList<InteractionEvent>> RecordEventsAsync(IEnumerable<InteractionEvent> interactions, CancellationToken cancellationToken = default)
    {
        List<Task>? updates = null;
        List<InteractionEvent>? unexposed = null;
        foreach (var interaction in interactions)
        {
            if (interaction.RecommendationId is null || interaction.EventType == EventTypes.View)
            {
                continue;
            }
            var exposure = await exposures.GetAsync(interaction.RecommendationId, cancellationToken);
            if (exposure is null)
            {
                (unexposed ??= []).Add(interaction);
                continue;
            }
            if (exposure.UserId == interaction.UserId)
            {
                (updates ??= []).Add(store.UpdateAsync(exposure.ExperimentKey, exposure.UserId, "event:" + interaction.EventId,
                    current => ExperimentUserMetrics.OnEvent(current, exposure, interaction),
                    cancellationToken));
            }
        }
        if (updates is not null)
        {
            await Task.WhenAll(updates);
        }
        return unexposed ?? [];
    }
}
