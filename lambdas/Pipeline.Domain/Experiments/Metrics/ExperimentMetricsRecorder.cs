using System.Diagnostics;
using Pipeline.Domain.Events;

namespace Pipeline.Domain.Experiments.Metrics;

/// <summary>
/// Keeps each experiment's aggregates current as exposures and events arrive: called by the recommendation
/// service for every (non-forced) exposure and by the events handler for every event. Recording an event is
/// idempotent by event id, so it is safe to call again for a duplicate or a redelivered event.
/// </summary>
public sealed class ExperimentMetricsRecorder(IExperimentMetricsStore store, IExposureStore exposures, IEventStore events)
{
    public async Task RecordExposureAsync(Experiment experiment, Exposure exposure, TimeSpan latency, CancellationToken cancellationToken = default)
    {
        var state = await store.GetUserAsync(experiment.Key, exposure.UserId, cancellationToken);
        // The covariate is counted once, when the user enters the phase: their events before this exposure.
        var covariate = state is null || state.Phase < experiment.Phase
            ? await events.CountByUserAsync(exposure.UserId, exposure.Timestamp, cancellationToken)
            : 0;
        var latencyMs = latency.TotalMilliseconds;
        // Exposures need no idempotency key: each recommendation id is new and is recorded once, where it is served.
        // Serving does not wait for the commit: the update is queued now, ahead of any event the client sends after
        // this response (the local store runs queued updates in order), and a failure is traced, never the request's.
        var committed = store.UpdateAsync(experiment.Key, exposure.UserId, null,
            current => ExperimentUserMetrics.OnExposure(current, experiment.Phase, exposure, covariate, latencyMs),
            CancellationToken.None);
        _ = committed.ContinueWith(
            failed => Trace.TraceError($"Exposure metrics of {exposure.RecommendationId} were not recorded: {failed.Exception?.GetBaseException().Message}"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>
    /// Queues the updates of every event in order, then waits for all of them: a batch shares one group commit
    /// instead of waiting for one commit per event.
    /// </summary>
    public async Task RecordEventsAsync(IEnumerable<InteractionEvent> interactions, CancellationToken cancellationToken = default)
    {
        List<Task>? updates = null;
        foreach (var interaction in interactions)
        {
            if (await StartEventAsync(interaction, cancellationToken) is { } update)
            {
                (updates ??= []).Add(update);
            }
        }
        if (updates is not null)
        {
            await Task.WhenAll(updates);
        }
    }

    public async Task RecordEventAsync(InteractionEvent interaction, CancellationToken cancellationToken = default)
    {
        if (await StartEventAsync(interaction, cancellationToken) is { } update)
        {
            await update;
        }
    }

    /// <summary>Finds the event's exposure and queues the update; null when the event counts for no experiment.</summary>
    private async Task<Task?> StartEventAsync(InteractionEvent interaction, CancellationToken cancellationToken)
    {
        if (interaction.RecommendationId is null || interaction.EventType == EventTypes.View)
        {
            return null;
        }
        var exposure = await exposures.GetAsync(interaction.RecommendationId, cancellationToken);
        if (exposure is null || exposure.UserId != interaction.UserId)
        {
            return null;
        }
        return store.UpdateAsync(exposure.ExperimentKey, exposure.UserId, "event:" + interaction.EventId,
            current => ExperimentUserMetrics.OnEvent(current, exposure, interaction),
            cancellationToken);
    }
}
